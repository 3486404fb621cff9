package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generated credentials of the embedded database. The embedded MariaDB is run as the
 * dashboard's vendor setups run it: the dashboard connects as root to its own server.
 */
public final class SecretBuilder {
  public static final String USERNAME = "root";
  public static final int PASSWORD_LENGTH = 32;
  private static final char[] ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretBuilder() {}

  public static Secret databaseCredentials(ResolvedStack stack, String password) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("username", USERNAME);
    data.put("password", password);
    Secret s = new Secret();
    s.setMetadata(ChildMetadata.of(stack, stack.generatedCredentialsSecretName(), "db"));
    s.setType("Opaque");
    s.setStringData(data);
    return s;
  }

  /** 32 characters from a 57-letter alphabet: about 186 bits. */
  public static String randomPassword() {
    StringBuilder sb = new StringBuilder(PASSWORD_LENGTH);
    for (int i = 0; i < PASSWORD_LENGTH; i++) {
      sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }
}
