package io.pistack.operator.scenario;

import static io.pistack.operator.scenario.Cluster.PI;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import java.util.List;

/**
 * A reconcile of a converged stack must not write anything: not children, not status, not events;
 * after an unrelated edit of a child and after an operator restart. Written once, run on both tiers
 * (it replaces it/NoOpReconcileTest, mock only, and OperatorOnRealApiTest's convergence test, real only).
 */
class NoOpReconcileTest {

  @ScenarioTest
  void aStackConvergesToReadyAndAReconcileOfItWritesNothing(Cluster cluster) {
    cluster.create(Fixtures.SMALL);
    PiStack converged = cluster.awaitConverged(PI);
    assertThat(cluster.operatorWrites()).as("the operator's own writes are the ones counted")
        .anyMatch(w -> w.resource().equals("deployments") && w.name().equals("pi-dashboard"));
    assertThat(Conditions.find(converged.getStatus().conditions, ConditionType.READY).getReason())
        .isEqualTo("AllComponentsReady");
    assertThat(cluster.child(Deployment.class, "pi-dashboard").getStatus().getAvailableReplicas()).isEqualTo(2);
    if (cluster.tier() == Tier.REAL) {
      // Only kwok runs pods; the mock's controllers report replicas without them.
      assertThat(cluster.client().pods().inNamespace(cluster.namespace()).list().getItems())
          .filteredOn(p -> "Running".equals(p.getStatus().getPhase())).hasSizeGreaterThanOrEqualTo(6);
    }

    // A change to a child triggers a reconcile; with nothing to fix it makes no write.
    String before = statusYaml(cluster);
    List<Write> writes = cluster.writesAfter(PI, () ->
        cluster.client().apps().deployments().inNamespace(cluster.namespace()).withName("pi-renderer").edit(d -> {
          d.getMetadata().getAnnotations().put("example.com/touched", "yes");
          return d;
        }), w -> w.isStatusOrEventOf(PI));
    assertNothingWritten(cluster, "after an unrelated edit of a child", writes, before);
    assertThat(cluster.child(Deployment.class, "pi-renderer").getMetadata().getAnnotations())
        .containsEntry("example.com/touched", "yes");

    // A restarted operator reconciles every stack it finds: its reconcile of this one writes nothing.
    before = statusYaml(cluster);
    assertNothingWritten(cluster, "during the reconcile of a restarted operator", cluster.writesOfARestart(PI), before);
    assertThat(Conditions.isTrue(cluster.stack(PI).getStatus().conditions, ConditionType.READY)).isTrue();
  }

  /**
   * No write at all on the mock (nothing moves there unless the test moves it). On the real tier the
   * world may move meanwhile (kwok and the controllers occasionally take a pod through not-ready and
   * back; seen once in several CI runs): a status write or an Event is then right, but only with a
   * transition to show for it. An identical status is never written again, and no child is written.
   */
  static void assertNothingWritten(Cluster cluster, String when, List<Write> writes, String statusBefore) {
    if (cluster.tier() == Tier.MOCK) {
      assertThat(writes).as("operator writes " + when).isEmpty();
      return;
    }
    assertThat(writes).as("operator writes " + when).allMatch(w -> w.isStatusOrEventOf(PI));
    if (!writes.isEmpty()) {
      String after = statusYaml(cluster);
      assertThat(after).as("status written %d times %s without an observed transition; before:%n%s%nafter:%n%s",
          writes.size(), when, statusBefore, after).isNotEqualTo(statusBefore);
    }
  }

  static String statusYaml(Cluster cluster) {
    return Serialization.asYaml(cluster.stack(PI).getStatus());
  }

  @ScenarioTest
  void reconcilingAConvergedProductionStackAfterARestartMakesZeroWrites(Cluster cluster) {
    cluster.create(Fixtures.PRODUCTION);
    cluster.awaitConverged(PI);
    String before = statusYaml(cluster);
    // A restarted operator reconciles every stack it finds; its reconcile of this one runs to the end.
    List<Write> writes = cluster.writesOfARestart(PI);
    assertNothingWritten(cluster, "during a no-op reconcile", writes, before);
    assertThat(Conditions.isTrue(cluster.stack(PI).getStatus().conditions, ConditionType.READY)).isTrue();
  }
}
