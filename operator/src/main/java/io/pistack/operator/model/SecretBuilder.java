package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generated Secrets of the embedded database: the application user's credentials (the
 * dashboard, scheduler and backup Jobs use them) and root's password (the MariaDB pod only).
 * See docs/database-user.md.
 */
public final class SecretBuilder {
  /** The generated application user. */
  public static final String USERNAME = "pi";
  /** The user the generated credentials of stacks created before the application user named. */
  public static final String LEGACY_USERNAME = "root";
  /** The key of the root Secret. */
  public static final String ROOT_PASSWORD_KEY = "password";
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

  /** Root's password, read by the MariaDB pod only. */
  public static Secret databaseRoot(ResolvedStack stack, String password) {
    Secret s = new Secret();
    s.setMetadata(ChildMetadata.of(stack, stack.databaseRootSecretName(), "db"));
    s.setType("Opaque");
    s.setStringData(new LinkedHashMap<>(Map.of(ROOT_PASSWORD_KEY, password)));
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
