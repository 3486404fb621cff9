package io.pistack.operator.scenario;

import static io.pistack.operator.scenario.Cluster.PI;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.api.v1alpha1.BackupSpec;
import io.pistack.operator.api.v1alpha1.HibernationSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.HibernationPlan;
import io.pistack.operator.model.Labels;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hibernation on both tiers: an autoscaled stack with scheduled backups goes to zero (every Deployment and the
 * database at zero replicas, no autoscaler, the backup CronJob suspended, no pod left on the real tier), keeps every
 * claim and Secret (same uids), writes nothing while it sleeps (after an unrelated edit of a child and after an
 * operator restart), and wakes Ready with its autoscaler back.
 */
public class HibernationTest {

  /** The minimal sample sized for a fake node, its dashboard autoscaled (2 to 4), with scheduled backups. */
  public static PiStack stack() {
    PiStack s = Fixtures.SMALL.stack("default");
    s.getSpec().dashboard.replicas = null;
    s.getSpec().dashboard.autoscaling = new AutoscalingSpec();
    s.getSpec().dashboard.autoscaling.enabled = true;
    s.getSpec().dashboard.autoscaling.minReplicas = 2;
    s.getSpec().dashboard.autoscaling.maxReplicas = 4;
    s.getSpec().backup = new BackupSpec();
    s.getSpec().backup.enabled = true;
    return s;
  }

  static void hibernation(Cluster cluster, boolean on) {
    cluster.edit(PI, p -> {
      p.getSpec().hibernation = new HibernationSpec();
      p.getSpec().hibernation.enabled = on;
    });
  }

  /** Name to uid of every object of the kind in the namespace. */
  static <T extends HasMetadata> Map<String, String> uids(Cluster cluster, Class<T> kind) {
    Map<String, String> out = new TreeMap<>();
    cluster.client().resources(kind).inNamespace(cluster.namespace()).list().getItems()
        .forEach(o -> out.put(o.getMetadata().getName(), o.getMetadata().getUid()));
    return out;
  }

  @ScenarioTest
  void aStackSleepsAtZeroWithItsDataWritesNothingAsleepAndWakesReady(Cluster cluster) {
    cluster.create(stack());
    cluster.awaitConverged(PI);
    assertThat(cluster.names(HorizontalPodAutoscaler.class)).contains("pi-dashboard");
    Map<String, String> claims = uids(cluster, PersistentVolumeClaim.class);
    Map<String, String> secrets = uids(cluster, Secret.class);
    assertThat(claims).containsKeys("pi-shared", "pi-backups");
    assertThat(secrets).containsKeys("pi-db-credentials", "pi-db-root", "pi-db-backup");

    hibernation(cluster, true);
    PiStack asleep = cluster.awaitConverged(PI, ConditionType.HIBERNATED.wire(), "True", "Hibernated");
    var ready = Conditions.find(asleep.getStatus().conditions, ConditionType.READY);
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getReason()).isEqualTo("Hibernated");
    // The maintenance page's one pod stays up while the stack sleeps: the dashboard's Service selects it.
    assertThat(cluster.child(io.fabric8.kubernetes.api.model.Service.class, "pi-dashboard").getSpec().getSelector())
        .containsEntry(Labels.COMPONENT, "maintenance");
    for (String name : cluster.names(Deployment.class)) {
      if (name.equals("pi-maintenance")) {
        continue;
      }
      Deployment d = cluster.child(Deployment.class, name);
      assertThat(d.getSpec().getReplicas()).as("replicas of %s", name).isZero();
      assertThat(d.getMetadata().getAnnotations()).containsEntry(HibernationPlan.ASLEEP, HibernationPlan.ASLEEP_VALUE);
    }
    assertThat(cluster.child(StatefulSet.class, "pi-db").getSpec().getReplicas()).isZero();
    assertThat(cluster.names(HorizontalPodAutoscaler.class)).as("autoscalers while asleep").isEmpty();
    assertThat(cluster.child(CronJob.class, "pi-backup").getSpec().getSuspend()).isTrue();
    if (cluster.tier() == Tier.REAL) {
      assertThat(cluster.client().pods().inNamespace(cluster.namespace()).withLabel(Labels.INSTANCE, PI).list()
          .getItems()).as("pods of the stack while asleep, but the maintenance page's")
          .allMatch(p -> "maintenance".equals(p.getMetadata().getLabels().get(Labels.COMPONENT)));
    }
    assertThat(uids(cluster, PersistentVolumeClaim.class)).isEqualTo(claims);
    assertThat(uids(cluster, Secret.class)).isEqualTo(secrets);

    // Asleep, a reconcile writes nothing: after an unrelated edit of a child, and in a restarted operator.
    String before = NoOpReconcileTest.statusYaml(cluster);
    List<Write> writes = cluster.writesAfter(PI, () ->
        cluster.client().apps().deployments().inNamespace(cluster.namespace()).withName("pi-renderer").edit(d -> {
          d.getMetadata().getAnnotations().put("example.com/touched", "yes");
          return d;
        }), w -> w.isStatusOrEventOf(PI));
    NoOpReconcileTest.assertNothingWritten(cluster, "while hibernated, after an unrelated edit", writes, before);
    before = NoOpReconcileTest.statusYaml(cluster);
    NoOpReconcileTest.assertNothingWritten(cluster, "while hibernated, in a restarted operator",
        cluster.writesOfARestart(PI), before);

    hibernation(cluster, false);
    PiStack awake = cluster.awaitConverged(PI);
    assertThat(Conditions.find(awake.getStatus().conditions, ConditionType.HIBERNATED).getReason()).isEqualTo("Awake");
    assertThat(cluster.names(HorizontalPodAutoscaler.class)).contains("pi-dashboard");
    assertThat(cluster.child(StatefulSet.class, "pi-db").getSpec().getReplicas()).isEqualTo(1);
    assertThat(cluster.child(Deployment.class, "pi-renderer").getSpec().getReplicas()).isEqualTo(1);
    if (cluster.tier() == Tier.REAL) {
      // The mock's apply stand-in never removes a field the operator stops sending: the real API server does.
      assertThat(cluster.child(CronJob.class, "pi-backup").getSpec().getSuspend()).isNotEqualTo(Boolean.TRUE);
    }
    assertThat(uids(cluster, PersistentVolumeClaim.class)).isEqualTo(claims);
    assertThat(uids(cluster, Secret.class)).isEqualTo(secrets);
  }
}
