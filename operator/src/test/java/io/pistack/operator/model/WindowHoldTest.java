package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A version change outside the maintenance windows waits until it may start; a started one finishes. */
class WindowHoldTest {
  static final String OLD = LifecycleDecisionsTest.OLD;
  static final String NEW = LifecycleDecisionsTest.NEW;
  static final Optional<MaintenanceWindows.Wait> CLOSED = Optional.of(new MaintenanceWindows.Wait(
      "daily 02:00 for 1h UTC", Instant.parse("2026-12-08T02:00:00Z"), Duration.ofHours(3)));

  @Test
  void aVersionChangeThatHasNotStartedWaitsForTheWindow() {
    for (boolean backups : List.of(true, false)) {
      ResolvedStack s = LifecycleDecisionsTest.stack(NEW, backups, null);
      List<Deployment> running = List.of(dashboard(OLD, 2));
      LifecyclePlan plan = WindowHold.apply(LifecyclePlan.decide(s, running, List.of(), Optional.empty(), List.of()),
          s, running, List.of(), CLOSED);
      assertThat(plan.upgrade().phase()).as("backups " + backups).isEqualTo(UpgradeDecision.Phase.WAITING_FOR_WINDOW);
      assertThat(plan.upgrade().deploymentVersion()).isEqualTo(OLD);
      assertThat(plan.upgrade().jobWanted()).as("no pre-upgrade backup").isFalse();
      assertThat(plan.drain().active()).as("no drain").isFalse();
      assertThat(plan.deploymentStack(s, Component.main()).version()).isEqualTo(OLD);
      assertThat(plan.upgrade().window()).isEqualTo(CLOSED.get());
    }
  }

  @Test
  void aHeldVersionChangeKeepsTheStackAsleep() {
    // Hibernated, then the version edited outside the windows (a GitOps sync at night): the held plan must still
    // hold every component at zero, or waiting for the window would wake the stack.
    ResolvedStack s = TestStacks.resolved("  version: \"" + NEW + "\"\n  hibernation:\n    enabled: true\n");
    List<Deployment> running = List.of(dashboard(OLD, 2), component("scheduler", OLD));
    LifecyclePlan plan = LifecyclePlan.decide(s, running, List.of(), Optional.empty(), List.of());
    assertThat(plan.hibernation().active()).as("the stack is put to sleep").isTrue();
    LifecyclePlan held = WindowHold.apply(plan, s, running, List.of(), CLOSED);
    assertThat(held.upgrade().phase()).isEqualTo(UpgradeDecision.Phase.WAITING_FOR_WINDOW);
    assertThat(held.hibernation()).as("the hibernation decision survives the hold").isEqualTo(plan.hibernation());
    assertThat(held.hibernation().replicas(Component.main())).contains(0);
  }

  @Test
  void openWindowsNoChangeOrANewStackAreNotHeld() {
    ResolvedStack s = LifecycleDecisionsTest.stack(NEW, false, null);
    List<Deployment> running = List.of(dashboard(OLD, 2));
    LifecyclePlan plan = LifecyclePlan.decide(s, running, List.of(), Optional.empty(), List.of());
    assertThat(WindowHold.apply(plan, s, running, List.of(), Optional.empty())).isSameAs(plan);
    LifecyclePlan same = LifecyclePlan.decide(s, List.of(dashboard(NEW, 2)), List.of(), Optional.empty(), List.of());
    assertThat(WindowHold.apply(same, s, List.of(dashboard(NEW, 2)), List.of(), CLOSED)).isSameAs(same);
    LifecyclePlan fresh = LifecyclePlan.decide(s, List.of(), List.of(), Optional.empty(), List.of());
    assertThat(WindowHold.apply(fresh, s, List.of(), List.of(), CLOSED)).isSameAs(fresh);
  }

  @Test
  void aStartedChangeFinishesWhenTheWindowCloses() {
    ResolvedStack s = LifecycleDecisionsTest.stack(NEW, true, null);
    // Its pre-upgrade backup Job exists.
    List<Deployment> old = List.of(dashboard(OLD, 2));
    List<Job> jobs = List.of(new JobBuilder().withNewMetadata().withName(JobNames.preUpgrade(s, NEW)).endMetadata()
        .build());
    LifecyclePlan backingUp = LifecyclePlan.decide(s, old, jobs, Optional.empty(), List.of());
    assertThat(WindowHold.apply(backingUp, s, old, jobs, CLOSED)).isSameAs(backingUp);
    // The drain holds the dashboard at zero.
    ResolvedStack plain = LifecycleDecisionsTest.stack(NEW, false, null);
    List<Deployment> drained = List.of(dashboard(OLD, 0));
    LifecyclePlan draining = LifecyclePlan.decide(plain, drained, List.of(), Optional.empty(), List.of());
    assertThat(WindowHold.apply(draining, plain, drained, List.of(), CLOSED)).isSameAs(draining);
    // A Deployment runs the new version already.
    List<Deployment> half = List.of(dashboard(NEW, 1), component("scheduler", OLD));
    LifecyclePlan migrating = LifecyclePlan.decide(plain, half, List.of(), Optional.empty(), List.of());
    assertThat(WindowHold.apply(migrating, plain, half, List.of(), CLOSED)).isSameAs(migrating);
  }

  private static Deployment dashboard(String version, int replicas) {
    return new DeploymentBuilder(component("dashboard", version)).editSpec().withReplicas(replicas).endSpec().build();
  }

  private static Deployment component(String part, String version) {
    return new DeploymentBuilder().withNewMetadata().withName("pi-" + part)
        .withLabels(Map.of(Labels.COMPONENT, part, Labels.VERSION, version)).endMetadata()
        .withNewSpec().withReplicas(1).endSpec().build();
  }
}
