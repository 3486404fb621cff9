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
    EmbeddedDatabaseSpec db = stack.embeddedDatabaseSpec();
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
        .withImage(stack.mariadbImage())
        .withImagePullPolicy("IfNotPresent")
        .withArgs(SERVER_ARGS)
        .addNewEnv().withName("MARIADB_DATABASE").withValue(stack.databaseSchema()).endEnv()
        .addNewEnv().withName("LANG").withValue("C.UTF-8").endEnv()
        .addToEnv(EnvironmentBuilder.secretVar("MARIADB_ROOT_PASSWORD", stack.databasePassword()))
        .addNewPort().withName("mysql").withContainerPort(ServiceBuilder.DB_PORT).withProtocol("TCP").endPort()
        .withResources(stack.databaseResources())
        .withSecurityContext(PodSecurity.container(db.securityContext))
        .withReadinessProbe(ready)
        .withLivenessProbe(live)
        .addNewVolumeMount().withName(DATA_VOLUME).withMountPath("/var/lib/mysql").endVolumeMount()
        .build();
    var claim = new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(DATA_VOLUME).withLabels(Labels.of(stack, "db")).endMetadata()
        .withNewSpec()
        .withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new Quantity(stack.databaseStorageSize())).endResources()
        .withStorageClassName(stack.databaseStorageClass().orElse(null))
        .endSpec()
        .build();
    String retention = stack.deleteDataWithStack() ? "Delete" : "Retain";
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
        .withImagePullSecrets(stack.pullSecrets())
        .withNodeSelector(db.nodeSelector)
        .withTolerations(db.tolerations)
        .withAffinity(db.affinity)
        .withPriorityClassName(db.priorityClassName)
        .withTerminationGracePeriodSeconds(60L)
        .withContainers(container)
        .endSpec()
        .endTemplate()
        .withVolumeClaimTemplates(List.<PersistentVolumeClaim>of(claim));
    StatefulSet s = new StatefulSet();
    s.setMetadata(ChildMetadata.of(stack, stack.databaseName(), "db"));
    s.setSpec(spec.build());
    return s;
  }
}
