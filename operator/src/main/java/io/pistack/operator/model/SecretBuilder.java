package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The generated Secrets of the embedded database: the application user's credentials (the
 * dashboard, scheduler and restore Jobs use them), the read-only backup user's (the backup Jobs) and root's
 * password (the MariaDB pod only); and Qdrant's API key.
 * See docs/database-user.md.
 */
public final class SecretBuilder {
  /** The generated application user. */
  public static final String USERNAME = "pi";
  /** The generated read-only backup user. */
  public static final String BACKUP_USERNAME = "pi_backup";
  /** The user the generated credentials of stacks created before the application user named. */
  public static final String LEGACY_USERNAME = "root";
  /** The key of the root Secret. */
  public static final String ROOT_PASSWORD_KEY = "password";
  /** The key of the Qdrant API key Secret. */
  public static final String QDRANT_API_KEY = "api-key";
  public static final int PASSWORD_LENGTH = 32;
  private static final char[] ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretBuilder() {}

  public static Secret databaseCredentials(ResolvedStack stack, String password) {
    return userSecret(stack, stack.generatedCredentialsSecretName(), USERNAME, password);
  }

  /** The read-only backup user, read by the MariaDB pod (which creates it) and the backup Jobs. */
  public static Secret databaseBackup(ResolvedStack stack, String password) {
    return userSecret(stack, stack.databaseBackupSecretName(), BACKUP_USERNAME, password);
  }

  private static Secret userSecret(ResolvedStack stack, String name, String username, String password) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("username", username);
    data.put("password", password);
    Secret s = new Secret();
    s.setMetadata(ChildMetadata.of(stack, name, "db"));
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

  /** Qdrant's API key, read by the Qdrant pod and the dashboard; outlives the stack like Qdrant's volume. */
  public static Secret qdrantApiKey(ResolvedStack stack, String key) {
    Secret s = new Secret();
    s.setMetadata(ChildMetadata.of(stack, stack.qdrantApiKeySecretName(), Component.QDRANT.part()));
    s.setType("Opaque");
    s.setStringData(new LinkedHashMap<>(Map.of(QDRANT_API_KEY, key)));
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
