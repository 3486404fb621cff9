package io.pistack.operator.scenario;

import static io.pistack.operator.scenario.Cluster.PI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pistack.operator.status.ConditionType;

/**
 * pi_operator_stack_hibernated as the running operator exports it (the chart's per-stack alerts leave a stack out
 * while it is 1): 0 for an awake stack, 1 once it sleeps (and again in a restarted operator that writes nothing),
 * 0 once woken, gone with the stack. Mock tier: the series are read from the operator's own registry.
 */
class HibernatedMetricTest {
  static String series(Cluster cluster) {
    return "pi_operator_stack_hibernated{name=\"" + PI + "\",namespace=\"" + cluster.namespace() + "\"}";
  }

  @ScenarioTest(Tier.MOCK)
  void theGaugeIsOneWhileTheStackSleepsZeroAwakeAndGoesWithTheStack(Cluster cluster) {
    cluster.create(HibernationTest.stack());
    cluster.awaitConverged(PI);
    assertThat(cluster.reconciles().scrape()).contains(series(cluster) + " 0.0");

    HibernationTest.hibernation(cluster, true);
    cluster.awaitConverged(PI, ConditionType.HIBERNATED.wire(), "True", "Hibernated");
    assertThat(cluster.reconciles().scrape()).contains(series(cluster) + " 1.0");
    // A restarted operator's registry starts empty: its first reconcile, which writes nothing, sets the gauge again.
    cluster.writesOfARestart(PI);
    assertThat(cluster.reconciles().scrape()).contains(series(cluster) + " 1.0");

    HibernationTest.hibernation(cluster, false);
    cluster.awaitConverged(PI);
    assertThat(cluster.reconciles().scrape()).contains(series(cluster) + " 0.0");

    cluster.delete(PI);
    await().atMost(cluster.timeout()).untilAsserted(() ->
        assertThat(cluster.reconciles().scrape()).doesNotContain("pi_operator_stack_hibernated{"));
  }
}
