package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.health.ProbeRecord;
import io.pistack.operator.health.ProbeResult;
import io.pistack.operator.health.ProbeTarget;
import io.pistack.operator.health.StackHealth;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.DeploymentBuilder;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.StatefulSetBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
  static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  PiStack stack = withGeneration(Stacks.sample("minimal.yaml", "bi"), 1);
  Map<Component, Deployment> deployments = new EnumMap<>(Component.class);
  Optional<StatefulSet> db;
  List<Pod> pods = new ArrayList<>();
  Map<String, ProbeRecord> records = new HashMap<>();
  Set<String> pending = new HashSet<>();
  List<String> missingCredentials = new ArrayList<>();
  Instant now = T0;

  StatusAggregatorTest() {
    allAvailable();
  }

  static PiStack withGeneration(PiStack s, long generation) {
    s.getMetadata().setGeneration(generation);
    return s;
  }

  void allAvailable() {
    ResolvedStack r = new ResolvedStack(stack);
    for (Component c : r.enabledComponents()) {
      Deployment d = DeploymentBuilder.build(r, c);
      d.getMetadata().setGeneration(1L);
      int n = d.getSpec().getReplicas();
      d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(1L).withReplicas(n).withReadyReplicas(n)
          .withUpdatedReplicas(n).withAvailableReplicas(n).build());
      deployments.put(c, d);
    }
    StatefulSet s = StatefulSetBuilder.mariadb(r);
    s.setStatus(new StatefulSetStatusBuilder().withReadyReplicas(1).build());
    db = Optional.of(s);
  }

  PiStackStatus aggregate() {
    PiStackStatus next = new StatusAggregator(Clock.fixed(now, ZoneOffset.UTC)).aggregate(new ResolvedStack(stack),
        new Observation(deployments, db, pods, new StackHealth(true, records, pending), List.of(), List.of(),
            missingCredentials, Optional.empty()), noJobs(stack), io.pistack.operator.model.SpecWarnings.of(new ResolvedStack(stack)));
    stack.setStatus(next);
    return next;
  }

  /** No backup or restore Jobs, no gate: the stacks here have no backups. */
  static BackupRestoreStatus.Seen noJobs(PiStack stack) {
    ResolvedStack r = new ResolvedStack(stack);
    return BackupRestoreStatus.observe(r, io.pistack.operator.model.LifecyclePlan.open(r), List.of(), Map.of());
  }

  String state(String type) {
    Condition c = Conditions.find(stack.getStatus().conditions, type);
    return c == null ? "none" : c.getStatus() + "/" + c.getReason();
  }

  String message(String type) {
    return Conditions.find(stack.getStatus().conditions, type).getMessage();
  }

  void probe(String key, boolean healthy, String version, String message) {
    records.put(key, new ProbeRecord(new ProbeTarget(key, "bi", "pi-" + key, 1, "/version", true),
        new ProbeResult(healthy, healthy ? 200 : 503, 5, version, message), T0));
  }

  @Test
  void readyWhenEveryComponentIsAvailableAndTheDatabaseReady() {
    probe("dashboard", true, "2025_10.1", "");
    PiStackStatus s = aggregate();
    assertThat(state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady");
    assertThat(state(ConditionType.PROGRESSING.wire())).isEqualTo("False/RolloutComplete");
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("False/AsExpected");
    assertThat(state(ConditionType.DATABASE_READY.wire())).isEqualTo("True/EmbeddedReady");
    assertThat(message("DashboardReady")).isEqualTo("dashboard: 3/3 ready, reports version 2025_10.1");
    assertThat(s.conditions).extracting(Condition::getType).containsExactly("Ready", "Progressing", "Degraded",
        "DatabaseReady", "DashboardReady", "SchedulerReady", "AnalyticsReady", "RendererReady", "ExcelReaderReady");
    assertThat(s.conditions).allSatisfy(c -> {
      assertThat(c.getObservedGeneration()).isEqualTo(1L);
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    });
    assertThat(s.observedGeneration).isEqualTo(1L);
    assertThat(s.dashboardReplicas).isEqualTo("3/3");
    assertThat(s.components.get("dashboard").health.version).isEqualTo("2025_10.1");
    assertThat(s.components.get("dashboard").image).isEqualTo("ghcr.io/pi-cr/server:2025_10.1");
    assertThat(s.components.get("scheduler").health).isNull();
  }

  @Test
  void aComponentNotYetRolledOutKeepsTheStackProgressing() {
    deployments.get(Component.RENDERER).getMetadata().setGeneration(2L);
    aggregate();
    assertThat(state(ConditionType.READY.wire())).isEqualTo("False/ComponentsNotReady");
    assertThat(message(ConditionType.READY.wire())).isEqualTo("waiting for renderer (RollingOut)");
    assertThat(state(ConditionType.PROGRESSING.wire())).isEqualTo("True/RollingOut");
    assertThat(state("RendererReady")).isEqualTo("False/RollingOut");
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("False/AsExpected");

    db = Optional.of(StatefulSetBuilder.mariadb(new ResolvedStack(stack)));
    deployments.remove(Component.SCHEDULER);
    aggregate();
    assertThat(message(ConditionType.READY.wire())).isEqualTo(
        "waiting for database (EmbeddedStarting), scheduler (NotCreated), renderer (RollingOut)");
  }

  static Pod unscheduled(String name, String component, String why) {
    return new PodBuilder().withNewMetadata().withName(name).addToLabels("app.kubernetes.io/component", component)
        .endMetadata().withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled")
        .withStatus("False").withReason("Unschedulable").withMessage(why).endCondition().endStatus().build();
  }

  @Test
  void podsNoNodeCanTakeAreReadysReasonInTheSchedulersWordsButNoFault() {
    deployments.get(Component.DASHBOARD).getStatus().setReadyReplicas(2);
    deployments.get(Component.DASHBOARD).getStatus().setAvailableReplicas(2);
    pods.add(unscheduled("pi-dashboard-x", "dashboard", "0/1 nodes are available: 1 Insufficient cpu."));
    db = Optional.of(StatefulSetBuilder.mariadb(new ResolvedStack(stack)));
    pods.add(unscheduled("pi-db-0", "db", "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims."));
    aggregate();
    assertThat(state("DashboardReady")).isEqualTo("False/Unschedulable");
    assertThat(state(ConditionType.DATABASE_READY.wire())).isEqualTo("False/Unschedulable");
    assertThat(state(ConditionType.READY.wire())).isEqualTo("False/Unschedulable");
    assertThat(message(ConditionType.READY.wire())).startsWith("database: pod pi-db-0 cannot be scheduled: 0/1 nodes are"
        + " available: pod has unbound immediate PersistentVolumeClaims.").contains(
            "; dashboard: pod pi-dashboard-x cannot be scheduled: 0/1 nodes are available: 1 Insufficient cpu.");
    assertThat(state(ConditionType.PROGRESSING.wire())).isEqualTo("True/RollingOut");
    assertThat(message(ConditionType.PROGRESSING.wire())).isEqualTo("waiting for database (Unschedulable), dashboard (Unschedulable)");
    // Not a fault: an autoscaler adding a node, a lifted cordon or a late volume resolve it without the user.
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("False/AsExpected");
  }

  @Test
  void aCrashLoopingPodMakesTheStackDegradedAndNamesIt() {
    deployments.get(Component.DASHBOARD).getStatus().setReadyReplicas(2);
    deployments.get(Component.DASHBOARD).getStatus().setAvailableReplicas(2);
    pods.add(new PodBuilder().withNewMetadata().withName("pi-dashboard-x").addToLabels("app.kubernetes.io/component",
        "dashboard").endMetadata().withNewStatus().addToContainerStatuses(new ContainerStatusBuilder()
        .withName("dashboard").withReady(false).withState(new ContainerStateBuilder().withNewWaiting()
            .withReason("CrashLoopBackOff").endWaiting().build()).build()).endStatus().build());
    aggregate();
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("True/CrashLoopBackOff");
    assertThat(message(ConditionType.DEGRADED.wire())).startsWith("dashboard: pod pi-dashboard-x container dashboard is in CrashLoopBackOff");
    assertThat(state(ConditionType.READY.wire())).isEqualTo("False/CrashLoopBackOff");
    assertThat(state("DashboardReady")).isEqualTo("False/CrashLoopBackOff");
    assertThat(state(ConditionType.PROGRESSING.wire())).isEqualTo("True/RollingOut");
    assertThat(message(ConditionType.PROGRESSING.wire())).isEqualTo("rolling out despite CrashLoopBackOff (see Degraded)");
  }

  @Test
  void aFailingEndpointBehindReadyPodsIsHealthCheckFailedButNotWhilePending() {
    probe("renderer", false, null, "HTTP 503");
    pending.add("renderer");
    aggregate();
    assertThat(state("RendererReady")).isEqualTo("False/HealthCheckPending");
    assertThat(state(ConditionType.READY.wire())).as("not Ready before the endpoint answered").isEqualTo("False/ComponentsNotReady");
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("False/AsExpected");

    pending.clear();
    aggregate();
    assertThat(state("RendererReady")).isEqualTo("False/HealthCheckFailed");
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("True/HealthCheckFailed");
    assertThat(message(ConditionType.DEGRADED.wire()))
        .isEqualTo("renderer: pods are ready but GET /version on Service pi-renderer:9915 failed: HTTP 503");
    assertThat(state(ConditionType.PROGRESSING.wire())).isEqualTo("False/HealthCheckFailed");

    deployments.get(Component.RENDERER).getStatus().setReadyReplicas(0);
    deployments.get(Component.RENDERER).getStatus().setAvailableReplicas(0);
    aggregate();
    assertThat(state("RendererReady")).as("no ready pod: the probe has nothing to say").isEqualTo("False/PodsNotReady");
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("False/AsExpected");
  }

  @Test
  void pausedIsNotReadyButStillReportsFaults() {
    stack.getSpec().paused = true;
    probe("renderer", false, null, "HTTP 503");
    aggregate();
    assertThat(state(ConditionType.READY.wire())).isEqualTo("False/Paused");
    assertThat(state(ConditionType.PROGRESSING.wire())).isEqualTo("False/Paused");
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("True/HealthCheckFailed");
  }

  @Test
  void anInvalidSpecIsStalled() {
    PiStackStatus s = new StatusAggregator(Clock.fixed(now, ZoneOffset.UTC))
        .aggregate(new ResolvedStack(stack), Observation.invalid(List.of("spec.version: required")), null, List.of());
    stack.setStatus(s);
    assertThat(state(ConditionType.READY.wire())).isEqualTo("False/InvalidSpec");
    assertThat(state(ConditionType.STALLED.wire())).isEqualTo("True/InvalidSpec");
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("True/InvalidSpec");
    aggregate();
    assertThat(state(ConditionType.STALLED.wire())).as("gone once the spec is fixed").isEqualTo("none");
  }

  @Test
  void whatThePolicyRefusesIsStalledWithItsOwnReason() {
    PiStackStatus s = new StatusAggregator(Clock.fixed(now, ZoneOffset.UTC)).aggregate(new ResolvedStack(stack),
        Observation.refused(List.of("spec.dashboard.extraVolumes[0].hostPath: a hostPath volume is refused")), null, List.of());
    stack.setStatus(s);
    assertThat(state(ConditionType.READY.wire())).isEqualTo("False/RefusedByPolicy");
    assertThat(state(ConditionType.STALLED.wire())).isEqualTo("True/RefusedByPolicy");
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("True/RefusedByPolicy");
    assertThat(state(ConditionType.PROGRESSING.wire())).isEqualTo("False/RefusedByPolicy");
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenTheStatusFlips() {
    aggregate();
    now = T0.plusSeconds(60);
    probe("dashboard", true, "2026_01", "");
    aggregate();
    assertThat(Conditions.find(stack.getStatus().conditions, "Ready").getLastTransitionTime())
        .isEqualTo("2026-01-01T10:00:00Z");
    assertThat(message("DashboardReady")).endsWith("reports version 2026_01");

    now = T0.plusSeconds(120);
    deployments.get(Component.ANALYTICS).getStatus().setAvailableReplicas(0);
    aggregate();
    assertThat(Conditions.find(stack.getStatus().conditions, "Ready").getLastTransitionTime())
        .isEqualTo("2026-01-01T10:02:00Z");
    assertThat(Conditions.find(stack.getStatus().conditions, "DashboardReady").getLastTransitionTime())
        .isEqualTo("2026-01-01T10:00:00Z");
  }

  @Test
  void theSameObservationGivesAnEqualStatus() {
    probe("dashboard", true, "2025_10.1", "");
    PiStackStatus first = aggregate();
    now = T0.plusSeconds(3600);
    assertThat(aggregate()).isEqualTo(first);
  }

  @Test
  void anExternalDatabaseNeedsItsCredentialsAndMustBeReachable() {
    stack = withGeneration(Stacks.sample("external-database.yaml", "bi"), 1);
    deployments.clear();
    allAvailable();
    db = Optional.empty();
    String where = "external database pi-repo.abc123.eu-west-2.rds.amazonaws.com:3306";

    aggregate();
    assertThat(state(ConditionType.DATABASE_READY.wire())).isEqualTo("Unknown/Checking");
    assertThat(state(ConditionType.READY.wire())).isEqualTo("False/ComponentsNotReady");

    records.put("database", new ProbeRecord(new ProbeTarget("database", "bi", "h", 3306, null, false),
        new ProbeResult(false, null, 3, null, "connection refused"), T0));
    aggregate();
    assertThat(state(ConditionType.DATABASE_READY.wire())).isEqualTo("False/DatabaseUnreachable");
    assertThat(message(ConditionType.DATABASE_READY.wire())).isEqualTo(where + " is unreachable from the operator: connection refused");
    assertThat(state(ConditionType.READY.wire())).isEqualTo("False/DatabaseUnreachable");

    // A restarted operator has not probed yet: it keeps what the last check said.
    records.clear();
    aggregate();
    assertThat(state(ConditionType.DATABASE_READY.wire())).isEqualTo("False/DatabaseUnreachable");

    records.put("database", new ProbeRecord(new ProbeTarget("database", "bi", "h", 3306, null, false),
        new ProbeResult(true, null, 3, null, ""), T0));
    aggregate();
    assertThat(state(ConditionType.DATABASE_READY.wire())).isEqualTo("True/Reachable");
    assertThat(state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady");

    missingCredentials.add("Secret pi-db has no key password");
    aggregate();
    assertThat(state(ConditionType.DATABASE_READY.wire())).isEqualTo("False/CredentialsMissing");
    assertThat(message(ConditionType.DATABASE_READY.wire())).isEqualTo("database credentials: Secret pi-db has no key password");
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("True/CredentialsMissing");
  }

  @Test
  void withProbesOffAnExternalDatabaseIsNotChecked() {
    stack = withGeneration(Stacks.sample("external-database.yaml", "bi"), 1);
    deployments.clear();
    allAvailable();
    PiStackStatus s = new StatusAggregator(Clock.fixed(now, ZoneOffset.UTC)).aggregate(new ResolvedStack(stack),
        new Observation(deployments, Optional.empty(), List.of(), StackHealth.DISABLED, List.of(), List.of(),
            List.of(), Optional.empty()), noJobs(stack), io.pistack.operator.model.SpecWarnings.of(new ResolvedStack(stack)));
    stack.setStatus(s);
    assertThat(state(ConditionType.DATABASE_READY.wire())).isEqualTo("True/NotChecked");
    assertThat(state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady");
  }

  @Test
  void anErrorOutsideTheWorkflowTurnsReadyFalseAndKeepsTheRestAsReported() {
    probe("dashboard", true, "2025_10.1", "");
    PiStackStatus ready = aggregate();
    stack = withGeneration(stack, 2);
    now = T0.plusSeconds(60);
    StatusAggregator aggregator = new StatusAggregator(Clock.fixed(now, ZoneOffset.UTC));
    PiStackStatus failed = aggregator.failed(stack, "the API server answered 403 Forbidden secrets pi-db-credentials");
    stack.setStatus(failed);
    assertThat(state(ConditionType.READY.wire())).isEqualTo("False/ReconcileFailed");
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("True/ReconcileFailed");
    assertThat(message(ConditionType.READY.wire())).isEqualTo(
        "reconciling failed, retrying with back-off: the API server answered 403 Forbidden secrets pi-db-credentials");
    assertThat(Conditions.find(failed.conditions, ConditionType.READY.wire()).getLastTransitionTime())
        .isEqualTo("2026-01-01T10:01:00Z");
    assertThat(Conditions.find(failed.conditions, ConditionType.READY.wire()).getObservedGeneration()).isEqualTo(2L);
    assertThat(failed.observedGeneration).isEqualTo(2L);
    // The rest as last reported, in the usual order.
    assertThat(state(ConditionType.PROGRESSING.wire())).isEqualTo("False/RolloutComplete");
    assertThat(state("DashboardReady")).isEqualTo("True/Available");
    assertThat(failed.conditions).extracting(Condition::getType).containsExactly("Ready", "Progressing", "Degraded",
        "DatabaseReady", "DashboardReady", "SchedulerReady", "AnalyticsReady", "RendererReady", "ExcelReaderReady");
    assertThat(failed.components).isEqualTo(ready.components);
    assertThat(failed.dashboardReplicas).isEqualTo("3/3");

    // The same failure again, later: an equal status (no write), the transition time kept.
    now = T0.plusSeconds(600);
    assertThat(new StatusAggregator(Clock.fixed(now, ZoneOffset.UTC)).failed(stack,
        "the API server answered 403 Forbidden secrets pi-db-credentials")).isEqualTo(failed);

    // Recovered: the next successful reconcile decides everything again.
    aggregate();
    assertThat(state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady");
    assertThat(state(ConditionType.DEGRADED.wire())).isEqualTo("False/AsExpected");
  }

  @Test
  void anErrorOutsideTheWorkflowOfANewStackAndOfAnInvalidOne() {
    PiStackStatus first = new StatusAggregator(Clock.fixed(now, ZoneOffset.UTC)).failed(stack, "NullPointerException");
    assertThat(first.conditions).extracting(Condition::getType).containsExactly("Ready", "Degraded");
    stack.setStatus(first);
    assertThat(state(ConditionType.READY.wire())).isEqualTo("False/ReconcileFailed");

    stack.getSpec().dashboard = new io.pistack.operator.api.v1alpha1.DashboardSpec();
    stack.getSpec().dashboard.replicas = -1;
    PiStackStatus invalid = new StatusAggregator(Clock.fixed(now, ZoneOffset.UTC)).aggregate(new ResolvedStack(stack),
        Observation.invalid(List.of("spec.dashboard.replicas: must be at least 0")), null, List.of());
    stack.setStatus(invalid);
    assertThat(state(ConditionType.STALLED.wire())).isEqualTo("True/InvalidSpec");
    stack.setStatus(new StatusAggregator(Clock.fixed(now, ZoneOffset.UTC)).failed(stack, "IllegalStateException"));
    assertThat(state(ConditionType.STALLED.wire())).as("waiting may help again").isEqualTo("none");
    assertThat(state(ConditionType.READY.wire())).isEqualTo("False/ReconcileFailed");
  }
}
