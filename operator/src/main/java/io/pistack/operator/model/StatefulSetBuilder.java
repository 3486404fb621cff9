package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpecBuilder;
import io.pistack.operator.api.v1alpha1.EmbeddedDatabaseSpec;
import java.util.List;

/**
 * The embedded MariaDB with the server settings the dashboard needs (pi-facts.md §5):
 * case-insensitive table names, utf8mb4, NO_AUTO_VALUE_ON_ZERO (as the vendor's RDS parameter
 * group), log_bin_trust_function_creators (the repository uses triggers and routines).
 */
public final class StatefulSetBuilder {
  public static final String DATA_VOLUME = "data";
  /** The server's socket directory, shared with the user step (root logs in over the socket only). */
  static final String SOCKET_VOLUME = "run";
  static final String SOCKET_DIR = "/run/mysqld";
  static final String READY_FILE = SOCKET_DIR + "/pi-users-ready";
  public static final String USERS_CONTAINER = "users";
  static final String USERS_SCRIPT = script("db-users.sh");
  static final List<String> SERVER_ARGS = List.of(
      "--lower-case-table-names=1",
      "--character-set-server=utf8mb4",
      "--collation-server=utf8mb4_unicode_ci",
      "--sql-mode=NO_AUTO_VALUE_ON_ZERO",
      "--log-bin-trust-function-creators=1");

  private StatefulSetBuilder() {}

  /** The PVC the StatefulSet controller creates for pod 0: data-<stack>-db-0. */
  public static String dataClaimName(ResolvedStack stack) {
    return DATA_VOLUME + "-" + stack.databaseName() + "-0";
  }

  /**
   * The desired StatefulSet with the volume claim templates of the live one: the API server
   * refuses any change of them, and a new size reaches the claim itself
   * ({@link PersistentVolumeClaimBuilder#database}), not the template, which only shapes a claim
   * that does not exist yet. Only the size and class can differ (the rest is built the same way).
   */
  public static StatefulSet keepingClaimTemplates(StatefulSet desired, StatefulSet live) {
    if (live == null || live.getSpec() == null || live.getSpec().getVolumeClaimTemplates() == null) {
      return desired;
    }
    for (PersistentVolumeClaim d : desired.getSpec().getVolumeClaimTemplates()) {
      for (PersistentVolumeClaim l : live.getSpec().getVolumeClaimTemplates()) {
        if (l.getMetadata() != null && d.getMetadata().getName().equals(l.getMetadata().getName())
            && l.getSpec() != null) {
          d.getSpec().setStorageClassName(l.getSpec().getStorageClassName());
          Quantity size = l.getSpec().getResources() == null || l.getSpec().getResources().getRequests() == null
              ? null : l.getSpec().getResources().getRequests().get("storage");
          if (size != null) {
            d.getSpec().getResources().getRequests().put("storage", size);
          }
        }
      }
    }
    return desired;
  }

  public static StatefulSet mariadb(ResolvedStack stack) {
    EmbeddedDatabaseSpec db = stack.database().embeddedSpec();
    // mariadb-admin ping succeeds whenever the server answers, even without credentials.
    Probe ready = new ProbeBuilder()
        .withNewExec().withCommand("sh", "-c",
            "mariadb-admin ping -h 127.0.0.1 --silent || mysqladmin ping -h 127.0.0.1 --silent").endExec()
        .withPeriodSeconds(10).withTimeoutSeconds(5).withFailureThreshold(3).withSuccessThreshold(1).build();
    Probe live = new ProbeBuilder()
        .withNewTcpSocket().withPort(new IntOrString(ServiceBuilder.DB_PORT)).endTcpSocket()
        .withInitialDelaySeconds(60)
        .withPeriodSeconds(20).withTimeoutSeconds(5).withFailureThreshold(6).withSuccessThreshold(1).build();
    var container = new ContainerBuilder()
        .withName("mariadb")
        .withImage(stack.database().mariadbImage())
        .withImagePullPolicy("IfNotPresent")
        .withArgs(SERVER_ARGS)
        .addNewEnv().withName("MARIADB_DATABASE").withValue(stack.database().schema()).endEnv()
        .addNewEnv().withName("LANG").withValue("C.UTF-8").endEnv()
        // Root's own Secret, read by this pod only; root has no TCP account (docs/database-user.md).
        .addToEnv(EnvironmentBuilder.secretVar("MARIADB_ROOT_PASSWORD", rootPassword(stack)))
        .addNewEnv().withName("MARIADB_ROOT_HOST").withValue("localhost").endEnv()
        .addNewPort().withName("mysql").withContainerPort(ServiceBuilder.DB_PORT).withProtocol("TCP").endPort()
        .withResources(stack.database().resources())
        .withSecurityContext(PodSecurity.container(db.securityContext))
        .withReadinessProbe(ready)
        .withLivenessProbe(live)
        .addNewVolumeMount().withName(DATA_VOLUME).withMountPath("/var/lib/mysql").endVolumeMount()
        .addNewVolumeMount().withName(SOCKET_VOLUME).withMountPath(SOCKET_DIR).endVolumeMount()
        .build();
    var claim = new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(DATA_VOLUME).withLabels(Labels.of(stack, "db")).endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new Quantity(stack.database().storageSize())).endResources()
        .withStorageClassName(stack.database().storageClass().orElse(null))
        .endSpec()
        .build();
    String retention = stack.storage().deleteDataWithStack() ? "Delete" : "Retain";
    var spec = new StatefulSetSpecBuilder()
        .withServiceName(stack.databaseName())
        .withReplicas(1)
        .withNewSelector().withMatchLabels(Labels.selector(stack, "db")).endSelector()
        .withNewPersistentVolumeClaimRetentionPolicy()
        .withWhenDeleted(retention).withWhenScaled("Retain")
        .endPersistentVolumeClaimRetentionPolicy()
        .withNewTemplate()
        .withNewMetadata().withLabels(Labels.pod(stack, "db", db.podLabels)).endMetadata()
        .withNewSpec()
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(false)
        // The official image's mysql user (999), owning the data volume through fsGroup: "restricted".
        .withSecurityContext(PodSecurity.pod(PodSecurity.MARIADB_USER, db.podSecurityContext))
        // The same pull secrets as the Pi images: a private mirror of MariaDB pulls like the rest.
        .withImagePullSecrets(stack.images().pullSecrets())
        .withNodeSelector(db.nodeSelector)
        .withTolerations(db.tolerations)
        .withAffinity(db.affinity)
        .withPriorityClassName(db.priorityClassName)
        .withTerminationGracePeriodSeconds(60L)
        .withContainers(container, usersContainer(stack))
        .addNewVolume().withName(SOCKET_VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
        .endSpec()
        .endTemplate()
        .withVolumeClaimTemplates(List.<PersistentVolumeClaim>of(claim));
    StatefulSet s = new StatefulSet();
    s.setMetadata(ChildMetadata.of(stack, stack.databaseName(), "db"));
    s.setSpec(spec.build());
    // A changed user credentials Secret rolls this pod too: the user step runs again with the new password.
    SecretDigests.annotate(stack, s.getSpec().getTemplate());
    return s;
  }

  /** Root's password: the key of the generated root Secret. */
  public static ResolvedStack.SecretKey rootPassword(ResolvedStack stack) {
    return new ResolvedStack.SecretKey(stack.databaseRootSecretName(), SecretBuilder.ROOT_PASSWORD_KEY);
  }

  /**
   * The user step (db-users.sh, docs/database-user.md): the same image, as root over the shared socket, creates
   * or updates the application user the credentials Secret names and the read-only backup user, then stays (a sidecar) and is ready once done,
   * so the database pod is ready only when the application user can log in. Passwords reach it by env only.
   */
  static io.fabric8.kubernetes.api.model.Container usersContainer(ResolvedStack stack) {
    EmbeddedDatabaseSpec db = stack.database().embeddedSpec();
    Probe done = new ProbeBuilder()
        .withNewExec().withCommand("test", "-e", READY_FILE).endExec()
        .withPeriodSeconds(5).withTimeoutSeconds(2).withFailureThreshold(3).withSuccessThreshold(1).build();
    return new ContainerBuilder()
        .withName(USERS_CONTAINER)
        .withImage(stack.database().mariadbImage())
        .withImagePullPolicy("IfNotPresent")
        .withCommand("sh", "-c", USERS_SCRIPT)
        .addToEnv(EnvironmentBuilder.secretVar("PI_DB_USER", stack.database().username()))
        .addToEnv(EnvironmentBuilder.secretVar("PI_DB_PASSWORD", stack.database().password()))
        .addToEnv(EnvironmentBuilder.secretVar("PI_DB_BACKUP_USER", stack.database().backupUsername()))
        .addToEnv(EnvironmentBuilder.secretVar("PI_DB_BACKUP_PASSWORD", stack.database().backupPassword()))
        .addToEnv(EnvironmentBuilder.secretVar("MARIADB_ROOT_PASSWORD", rootPassword(stack)))
        .addNewEnv().withName("PI_DB_USERS_SQL").withValue(DatabaseGrants.applicationUserStep(stack.database().schema()))
        .endEnv()
        .addNewEnv().withName("PI_DB_BACKUP_SQL").withValue(DatabaseGrants.backupUserStep(stack.database().schema()))
        .endEnv()
        .addNewEnv().withName("PI_DB_USER_CHARS").withValue(DatabaseUserName.CHARACTERS).endEnv()
        .addNewEnv().withName("PI_DB_USER_MAX").withValue(String.valueOf(DatabaseUserName.MAX_LENGTH)).endEnv()
        .addNewEnv().withName("PI_DB_USER_RESERVED").withValue(String.join(" ", DatabaseUserName.RESERVED)).endEnv()
        .addNewEnv().withName("PI_DB_SOCKET").withValue(SOCKET_DIR + "/mysqld.sock").endEnv()
        .addNewEnv().withName("PI_DB_READY_FILE").withValue(READY_FILE).endEnv()
        .withNewResources()
        .addToRequests("cpu", new Quantity("10m")).addToRequests("memory", new Quantity("32Mi"))
        .addToLimits("memory", new Quantity("64Mi"))
        .endResources()
        .withSecurityContext(PodSecurity.container(db.securityContext))
        .withReadinessProbe(done)
        .addNewVolumeMount().withName(SOCKET_VOLUME).withMountPath(SOCKET_DIR).endVolumeMount()
        .build();
  }

  private static String script(String name) {
    try (java.io.InputStream in = StatefulSetBuilder.class.getResourceAsStream(
        "/io/pistack/operator/database/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
