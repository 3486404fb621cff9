package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.JobController;
import io.pistack.operator.it.Kubelet;
import io.pistack.operator.it.MockCluster;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.runtime.RuntimeConfig;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Backups, the pre-upgrade backup and the data ownership toggle, with only the permissions the
 * chart grants (the operator's requests are authorised against the rendered RBAC).
 */
class BackupRbacEnforcedTest {
  static final String NS = "team-b";

  @Test
  void backupsRunWithOnlyTheChartsPermissions() {
    Chart.Rendered rendered = Chart.render(ValueSets.DEFAULTS);
    RbacEnforcingDispatcher authoriser = new RbacEnforcingDispatcher(RbacCompletenessTest.granted(rendered));
    var c = rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    RuntimeConfig config = RuntimeConfig.fromEnv(HelmChartTest.env(c));

    try (MockCluster cluster = new MockCluster(authoriser)) {
      cluster.startOperator(config.withHealth(io.pistack.operator.health.HealthConfig.disabled()));
      Stacks.licenceSecret(cluster.client, NS);
      cluster.client.resource(Stacks.sample("with-backups.yaml", NS)).create();
      RbacEnforcedLifecycleTest.awaitAllowed(authoriser).until(() ->
          cluster.client.apps().deployments().inNamespace(NS).list().getItems().size() == 5
              && cluster.client.batch().v1().cronjobs().inNamespace(NS).withName("pi-backup").get() != null
              && cluster.client.apps().statefulSets().inNamespace(NS).withName("pi-db").get() != null);
      Kubelet.markAvailable(cluster.client, NS);
      RbacEnforcedLifecycleTest.awaitAllowed(authoriser).until(() -> RbacEnforcedLifecycleTest.ready(cluster, NS));

      // Opt in to deleting the data with the stack: the credentials Secret gets its owner reference.
      Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().storage.deleteWithStack = true);
      RbacEnforcedLifecycleTest.awaitAllowed(authoriser).until(() -> !cluster.client.secrets().inNamespace(NS)
          .withName("pi-db-credentials").get().getMetadata().getOwnerReferences().isEmpty());
      // It changed the database StatefulSet's claim retention policy (a new generation): play its controller, which
      // observes it (a backup waits for a database running the StatefulSet's latest generation, LifecyclePlan).
      RbacEnforcedLifecycleTest.awaitAllowed(authoriser).until(() -> "Delete".equals(cluster.client.apps()
          .statefulSets().inNamespace(NS).withName("pi-db").get().getSpec().getPersistentVolumeClaimRetentionPolicy()
          .getWhenDeleted()));
      Kubelet.markAvailable(cluster.client, NS);

      // An upgrade: the pre-upgrade Job, its pod's message read, the rollout, the Job deleted.
      // Rolling: the mock drains no pods (the drain needs no permission beyond these: it reads the
      // pods already watched and applies Deployments and HPAs; judged in UpgradeDrainOnRealApiTest).
      Stacks.edit(cluster.client, NS, "pi", s -> {
        s.getSpec().version = "2026_01.0";
        s.getSpec().upgrade = new io.pistack.operator.api.v1alpha1.UpgradeSpec();
        s.getSpec().upgrade.strategy = io.pistack.operator.api.v1alpha1.UpgradeSpec.Strategy.Rolling;
      });
      RbacEnforcedLifecycleTest.awaitAllowed(authoriser).until(() -> preUpgrade(cluster).size() == 1);
      JobController.succeed(cluster.client, preUpgrade(cluster).get(0), Instant.now(),
          "{\"name\":\"pre-upgrade-20260115T095930Z\",\"sizeBytes\":1,\"completedAt\":\"2026-01-15T09:59:58Z\"}");
      RbacEnforcedLifecycleTest.awaitAllowed(authoriser).until(() -> preUpgrade(cluster).isEmpty()
          && stack(cluster).getStatus().backup != null
          && "pre-upgrade-20260115T095930Z".equals(stack(cluster).getStatus().backup.lastBackupName));

      // Backups off: the CronJob goes (the backup volume stays).
      Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().backup.enabled = false);
      RbacEnforcedLifecycleTest.awaitAllowed(authoriser).until(() ->
          cluster.client.batch().v1().cronjobs().inNamespace(NS).withName("pi-backup").get() == null);
      assertThat(cluster.client.persistentVolumeClaims().inNamespace(NS).withName("pi-backups").get()).isNotNull();

      assertThat(authoriser.denied()).as("requests the chart's RBAC refused").isEmpty();
      assertThat(authoriser.used()).as("the run exercised every backup permission")
          .anyMatch(k -> k.endsWith("batch jobs create"))
          .anyMatch(k -> k.endsWith("batch jobs delete"))
          .anyMatch(k -> k.endsWith("batch cronjobs create"))
          .anyMatch(k -> k.endsWith("batch cronjobs delete"))
          .anyMatch(k -> k.endsWith("core persistentvolumeclaims create"))
          .anyMatch(k -> k.endsWith("core pods list"))
          .anyMatch(k -> k.endsWith("core secrets patch"));
    }
  }

  private static List<Job> preUpgrade(MockCluster cluster) {
    return cluster.client.batch().v1().jobs().inNamespace(NS)
        .withLabel("pistack.io/job-kind", "pre-upgrade-backup").list().getItems();
  }

  private static PiStack stack(MockCluster cluster) {
    return cluster.client.resources(PiStack.class).inNamespace(NS).withName("pi").get();
  }
}
