package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.pistack.operator.api.v1alpha1.DatabaseSpec;
import io.pistack.operator.api.v1alpha1.EmbeddedDatabaseSpec;
import io.pistack.operator.api.v1alpha1.SecretRef;
import io.pistack.operator.model.ResolvedStack.SecretKey;
import java.util.Optional;

/**
 * spec.database with every default resolved in memory: the embedded MariaDB or an external server,
 * where the components find it, and which Secret keys hold whose credentials. Built by
 * {@link ResolvedStack#database()}.
 */
public final class DatabaseSettings {
  public static final String DEFAULT_MARIADB_IMAGE = "docker.io/library/mariadb:10.11";
  public static final String DEFAULT_SCHEMA = "dashboard";
  public static final int DEFAULT_DB_PORT = 3306;
  public static final String DEFAULT_DB_SIZE = "10Gi";

  private final DatabaseSpec database;
  private final ResolvedStack stack;

  DatabaseSettings(DatabaseSpec database, ResolvedStack stack) {
    this.database = database;
    this.stack = stack;
  }

  public boolean embedded() {
    return database == null || database.external == null;
  }

  public String host() {
    return embedded() ? stack.databaseName() : database.external.host;
  }

  public int port() {
    if (embedded() || database.external.port == null) {
      return DEFAULT_DB_PORT;
    }
    return database.external.port;
  }

  public String schema() {
    if (embedded() || database.external.schema == null) {
      return DEFAULT_SCHEMA;
    }
    return database.external.schema;
  }

  public boolean mysql() {
    return !embedded() && Boolean.TRUE.equals(database.external.mysql);
  }

  /** The user's credentials Secret, if they gave one (external: required; embedded: optional). */
  public Optional<SecretRef> userCredentialsSecret() {
    if (database == null) {
      return Optional.empty();
    }
    if (database.external != null) {
      return Optional.ofNullable(database.external.credentialsSecret);
    }
    return Optional.ofNullable(database.embedded).map(e -> e.credentialsSecret);
  }

  /** True when the operator must generate the credentials Secret (embedded DB, none given). */
  public boolean generatesCredentials() {
    return embedded() && userCredentialsSecret().isEmpty();
  }

  public SecretKey username() {
    return userCredentialsSecret()
        .map(s -> new SecretKey(s.name, s.usernameKey == null ? "username" : s.usernameKey))
        .orElseGet(() -> new SecretKey(stack.generatedCredentialsSecretName(), "username"));
  }

  public SecretKey password() {
    return userCredentialsSecret()
        .map(s -> new SecretKey(s.name, s.passwordKey == null ? "password" : s.passwordKey))
        .orElseGet(() -> new SecretKey(stack.generatedCredentialsSecretName(), "password"));
  }

  /**
   * Who the backup Jobs dump as: the embedded database's read-only backup user, or, for an external database (where
   * the operator creates no users), the user's own credentials. The restore keeps {@link #username()}.
   */
  public SecretKey backupUsername() {
    return embedded() ? new SecretKey(stack.databaseBackupSecretName(), "username") : username();
  }

  public SecretKey backupPassword() {
    return embedded() ? new SecretKey(stack.databaseBackupSecretName(), "password") : password();
  }

  /** The embedded database's settings (all defaults when none are given). */
  public EmbeddedDatabaseSpec embeddedSpec() {
    var e = database == null ? null : database.embedded;
    return e == null ? new EmbeddedDatabaseSpec() : e;
  }

  public String mariadbImage() {
    var e = database == null ? null : database.embedded;
    return e == null || e.image == null ? DEFAULT_MARIADB_IMAGE : e.image;
  }

  public String storageSize() {
    var e = database == null ? null : database.embedded;
    return e == null || e.storageSize == null ? DEFAULT_DB_SIZE : e.storageSize;
  }

  public Optional<String> storageClass() {
    var e = database == null ? null : database.embedded;
    return Optional.ofNullable(e == null ? null : e.storageClassName);
  }

  public ResourceRequirements resources() {
    var e = database == null ? null : database.embedded;
    if (e != null && e.resources != null) {
      return e.resources;
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("500m"))
        .addToRequests("memory", new Quantity("1Gi"))
        .addToLimits("memory", new Quantity("2Gi"))
        .build();
  }
}
