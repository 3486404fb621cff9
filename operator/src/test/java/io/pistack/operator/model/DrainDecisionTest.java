package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.pistack.operator.model.DrainDecision.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The drained upgrade's step, derived from live objects alone: the same objects give the same step,
 * whichever operator (a restarted one included) looks at them.
 */
class DrainDecisionTest {
  static final String OLD = "2025_10.1";
  static final String NEW = "2026_01.0";

  static ResolvedStack stack(String extra) {
    return TestStacks.resolved("  version: \"" + NEW + "\"\n" + extra);
  }

  /** Every enabled component's Deployment at {@code version}, dashboard and scheduler with {@code replicas}. */
  static List<Deployment> deployments(ResolvedStack s, String dashboardVersion, String othersVersion, int replicas,
      int running) {
    List<Deployment> out = new ArrayList<>();
    for (Component c : s.enabledComponents()) {
      Deployment d = DeploymentBuilder.build(s.withVersion(c == Component.main() ? dashboardVersion : othersVersion), c);
      d.getMetadata().setGeneration(2L);
      if (c.usesDatabase()) {
        d.getSpec().setReplicas(replicas);
      }
      d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(2L).withReplicas(running).build());
      out.add(d);
    }
    return out;
  }

  static Pod pod(String part) {
    return new PodBuilder().withNewMetadata().withName("pi-" + part + "-1").withLabels(Map.of(Labels.COMPONENT, part))
        .endMetadata().withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled")
        .withStatus("False").withReason("Unschedulable").endCondition().endStatus().build();
  }

  static DrainDecision decide(ResolvedStack s, List<Deployment> deployments, List<Pod> pods) {
    return LifecyclePlan.decide(s, deployments, List.of(), Optional.empty(), pods).drain();
  }

  @Test
  void aVersionChangeDrainsTheDashboardAndSchedulerWhileTheirPodsRun() {
    ResolvedStack s = stack("");
    DrainDecision d = decide(s, deployments(s, OLD, OLD, 2, 2), List.of(pod("dashboard"), pod("scheduler")));
    assertThat(d.step()).isEqualTo(Step.DRAINING);
    assertThat(d.version(Component.DASHBOARD)).isEqualTo(OLD);
    assertThat(d.replicas(Component.DASHBOARD)).contains(0);
    assertThat(d.replicas(Component.SCHEDULER)).contains(0);
    LifecyclePlan plan = new LifecyclePlan(UpgradeDecision.decide(s, Optional.of(OLD), true, Optional.empty()),
        RestoreDecision.none(), d);
    assertThat(plan.deploymentStack(s, Component.DASHBOARD).version()).isEqualTo(OLD);
  }

  @Test
  void oncePodsAreGoneOneDashboardOfTheNewVersionStartsAlone() {
    ResolvedStack s = stack("");
    DrainDecision d = decide(s, deployments(s, OLD, OLD, 0, 0), List.of());
    assertThat(d.step()).isEqualTo(Step.MIGRATING);
    assertThat(d.version(Component.DASHBOARD)).isEqualTo(NEW);
    assertThat(d.replicas(Component.DASHBOARD)).contains(1);
    assertThat(d.version(Component.SCHEDULER)).isEqualTo(OLD);
    assertThat(d.replicas(Component.SCHEDULER)).contains(0);
    assertThat(d.replicas(Component.ANALYTICS)).isEmpty();
    assertThat(d.version(Component.ANALYTICS)).isEqualTo(OLD);
  }

  @Test
  void aRestartedOperatorSeesTheMigrationFromTheObjectsAndLetsTheRestFollowWhenItIsReady() {
    ResolvedStack s = stack("");
    List<Deployment> migrating = deployments(s, NEW, OLD, 0, 0);
    migrating.get(0).getSpec().setReplicas(1);
    assertThat(decide(s, migrating, List.of(pod("dashboard"))).step()).isEqualTo(Step.MIGRATING);

    migrating.get(0).setStatus(new DeploymentStatusBuilder().withObservedGeneration(2L).withReplicas(1)
        .withUpdatedReplicas(1).withReadyReplicas(1).build());
    assertThat(decide(s, migrating, List.of()).step()).isEqualTo(Step.NONE);
  }

  @Test
  void aMigrationPastItsDeadlineIsStuckAndSaysThePodsState() {
    ResolvedStack s = stack("");
    List<Deployment> migrating = deployments(s, NEW, OLD, 0, 0);
    migrating.get(0).getStatus().setConditions(List.of(new DeploymentConditionBuilder().withType("Progressing")
        .withStatus("False").withReason("ProgressDeadlineExceeded").build()));
    DrainDecision d = decide(s, migrating, List.of(pod("dashboard")));
    assertThat(d.step()).isEqualTo(Step.STUCK);
    assertThat(d.replicas(Component.DASHBOARD)).contains(1);
    assertThat(d.detail()).isEqualTo("pod pi-dashboard-1 is Pending, PodScheduled=False Unschedulable");
  }

  @Test
  void theRollingStrategyAndChangesThatAreNotVersionChangesDoNotDrain() {
    ResolvedStack rolling = stack("  upgrade:\n    strategy: Rolling\n");
    assertThat(decide(rolling, deployments(rolling, OLD, OLD, 2, 2), List.of(pod("dashboard"))).step())
        .isEqualTo(Step.NONE);
    ResolvedStack same = stack("");
    assertThat(decide(same, deployments(same, NEW, NEW, 2, 2), List.of(pod("dashboard"))).step())
        .isEqualTo(Step.NONE);
  }

  @Test
  void theMigratingDashboardsStartupProbeCoversTheMigrationTimeout() {
    assertThat(ProbeBuilder.startup(stack(""), Component.DASHBOARD).getFailureThreshold())
        .as("the default keeps the existing allowance: no rollout").isEqualTo(60);
    assertThat(ProbeBuilder.startup(stack("  upgrade:\n    migrationTimeoutSeconds: 3600\n"), Component.DASHBOARD)
        .getFailureThreshold()).isEqualTo(360);
  }
}
