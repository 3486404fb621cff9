package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.model.BackupCronJobBuilder;
import io.pistack.operator.model.BackupJobBuilder;
import io.pistack.operator.health.StackHealth;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.UnrecordedJobs;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BackupRestoreStatusTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T12:00:00Z"), ZoneOffset.UTC);
  final StatusAggregator aggregator = new StatusAggregator(CLOCK);

  static PiStack stack(String spec) {
    return Serialization.unmarshal("apiVersion: pistack.io/v1alpha1\nkind: PiStack\nmetadata:\n  name: pi\n"
        + "  namespace: ns\n  generation: 2\nspec:\n" + spec, PiStack.class);
  }

  /** A status with only the stack-level conditions of a healthy (or failing) stack: a "before". */
  static PiStackStatus aggregated(String readyReason) {
    Conditions c = new Conditions(null, 2, CLOCK);
    boolean ok = "AllComponentsReady".equals(readyReason);
    c.set(ConditionType.READY.wire(), ok, readyReason, "").set(ConditionType.PROGRESSING.wire(), false, ok ? "RolloutComplete" : readyReason, "")
        .set(ConditionType.DEGRADED.wire(), !ok, ok ? "AsExpected" : readyReason, "");
    PiStackStatus s = new PiStackStatus();
    s.observedGeneration = 2L;
    s.conditions = c.build();
    return s;
  }

  static Job scheduled(String name, String at, boolean ok) {
    var b = new JobBuilder().withNewMetadata().withName(name).withNamespace("ns")
        .addToLabels(Labels.INSTANCE, "pi").addToLabels(BackupCronJobBuilder.JOB_KIND, BackupCronJobBuilder.SCHEDULED)
        .endMetadata().withNewStatus();
    if (ok) {
      b.withCompletionTime(at).addToConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
          .withLastTransitionTime(at).build());
    } else {
      b.addToConditions(new JobConditionBuilder().withType("Failed").withStatus("True")
          .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
          .withLastTransitionTime(at).build());
    }
    return b.endStatus().build();
  }

  /**
   * One status decision on a stack whose components and database are all available, and which
   * either applied fine ("AllComponentsReady") or failed to ("ReconcileFailed"); the result becomes
   * the stack's status, as the patch would. Returns the lifecycle events of the transition.
   */
  List<TransitionEvents.Note> round(PiStack stack, String readyReason, LifecyclePlan plan, List<Job> jobs,
      Map<String, String> messages) {
    assertThat(readyReason).isIn("AllComponentsReady", Reason.RECONCILE_FAILED.wire());
    ResolvedStack resolved = new ResolvedStack(stack);
    Optional<String> applyError = "AllComponentsReady".equals(readyReason) ? Optional.empty()
        : Optional.of("deployments: HTTP 500 Internal Server Error");
    PiStackStatus before = stack.getStatus();
    PiStackStatus next = aggregator.aggregate(resolved, allAvailable(resolved, applyError),
        BackupRestoreStatus.observe(resolved, plan, jobs, messages), io.pistack.operator.model.SpecWarnings.of(resolved));
    stack.setStatus(next);
    return TransitionEvents.lifecycle(before, next);
  }

  /** Every enabled component's Deployment and the database ready. */
  static Observation allAvailable(ResolvedStack resolved, Optional<String> applyError) {
    Map<Component, io.fabric8.kubernetes.api.model.apps.Deployment> deployments = new EnumMap<>(Component.class);
    for (Component c : resolved.enabledComponents()) {
      var d = io.pistack.operator.model.DeploymentBuilder.build(resolved, c);
      d.getMetadata().setGeneration(1L);
      int n = d.getSpec().getReplicas();
      d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(1L).withReplicas(n).withReadyReplicas(n)
          .withUpdatedReplicas(n).withAvailableReplicas(n).build());
      deployments.put(c, d);
    }
    return new Observation(deployments, Optional.of(readyDb()), List.of(), StackHealth.DISABLED, List.of(),
        List.of(), List.of(), applyError);
  }

  @Test
  void backupOutcomesAndBackupFailingFollowTheNewestRun() {
    PiStack stack = stack("  version: \"1\"\n  backup:\n    enabled: true\n");
    LifecyclePlan plan = LifecyclePlan.open(new ResolvedStack(stack));
    round(stack, "AllComponentsReady", plan, List.of(), Map.of());
    assertThat(condition(stack, ConditionType.BACKUP_FAILING.wire()).getReason()).isEqualTo("NoBackupYet");
    assertThat(stack.getStatus().backup).isNull();

    List<Job> jobs = new ArrayList<>(List.of(scheduled("pi-backup-1", "2026-01-14T02:00:40Z", true)));
    assertThat(UnrecordedJobs.of(new ResolvedStack(stack), plan, jobs)).hasSize(1);
    round(stack, "AllComponentsReady", plan, jobs, Map.of("pi-backup-1",
        "{\"name\":\"scheduled-20260114T020001Z\",\"location\":\"/backups/scheduled-20260114T020001Z\",\"sizeBytes\":42,"
            + "\"completedAt\":\"2026-01-14T02:00:39Z\"}"));
    assertThat(stack.getStatus().backup.lastBackupName).isEqualTo("scheduled-20260114T020001Z");
    assertThat(stack.getStatus().backup.sizeBytes).isEqualTo(42L);
    assertThat(stack.getStatus().backup.location).isEqualTo("pvc:pi-backups/scheduled-20260114T020001Z");
    assertThat(condition(stack, ConditionType.BACKUP_FAILING.wire()).getStatus()).isEqualTo("False");
    assertThat(UnrecordedJobs.of(new ResolvedStack(stack), plan, jobs)).as("recorded: no more pod reads").isEmpty();

    jobs.add(scheduled("pi-backup-2", "2026-01-15T02:05:00Z", false));
    var notices = round(stack, "AllComponentsReady", plan, jobs, Map.of("pi-backup-2",
        "{\"error\":\"cannot connect to pi-db:3306 as root\",\"exitCode\":1}"));
    Condition failing = condition(stack, ConditionType.BACKUP_FAILING.wire());
    assertThat(failing.getStatus()).isEqualTo("True");
    assertThat(failing.getReason()).isEqualTo("BackupFailed");
    assertThat(failing.getMessage()).isEqualTo("Job pi-backup-2: cannot connect to pi-db:3306 as root");
    assertThat(failing.getLastTransitionTime()).isEqualTo("2026-01-15T12:00:00Z");
    assertThat(notices).containsExactly(new TransitionEvents.Note(true, "BackupFailed", failing.getMessage()));
    assertThat(stack.getStatus().backup.lastBackupName).isEqualTo("scheduled-20260114T020001Z");
    // Ready is about serving, not about backups.
    assertThat(condition(stack, ConditionType.READY.wire()).getStatus()).isEqualTo("True");

    // Stable: the same observation again changes nothing and says nothing.
    PiStackStatus before = stack.getStatus();
    assertThat(round(stack, "AllComponentsReady", plan, jobs, Map.of())).isEmpty();
    assertThat(stack.getStatus()).isEqualTo(before);

    jobs.add(scheduled("pi-backup-3", "2026-01-16T02:00:40Z", true));
    round(stack, "AllComponentsReady", plan, jobs, Map.of());
    assertThat(condition(stack, ConditionType.BACKUP_FAILING.wire()).getStatus()).isEqualTo("False");
    assertThat(stack.getStatus().backup.lastSuccessfulTime).isEqualTo("2026-01-16T02:00:40Z");
    assertThat(stack.getStatus().backup.lastBackupName).as("pod gone: name unknown").isNull();
    assertThat(stack.getStatus().backup.lastFailureTime).isEqualTo("2026-01-15T02:05:00Z");
  }

  @Test
  void withoutBackupsThereIsNoBackupFailingCondition() {
    PiStack stack = stack("  version: \"1\"\n");
    round(stack, "AllComponentsReady", LifecyclePlan.open(new ResolvedStack(stack)), List.of(), Map.of());
    assertThat(stack.getStatus().conditions).noneMatch(c -> c.getType().equals(ConditionType.BACKUP_FAILING.wire()));
  }

  @Test
  void aFailedPreUpgradeBackupStopsProgressWithItsReasonOnce() {
    PiStack stack = stack("  version: \"2\"\n  backup:\n    enabled: true\n");
    ResolvedStack resolved = new ResolvedStack(stack);
    Job job = new JobBuilder(BackupJobBuilder.preUpgrade(resolved, "1", "2")).withNewStatus()
        .addToConditions(new JobConditionBuilder().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
            .withMessage("Job has reached the specified backoff limit").withLastTransitionTime("2026-01-15T11:00:00Z").build())
        .endStatus().build();
    LifecyclePlan plan = LifecyclePlan.decide(resolved, List.of(dashboard("1")), List.of(job), Optional.empty());
    String name = job.getMetadata().getName();

    var notices = round(stack, "AllComponentsReady", plan, List.of(job),
        Map.of(name, "{\"error\":\"database dump failed\",\"exitCode\":1}"));
    for (String type : List.of(ConditionType.READY.wire(), ConditionType.PROGRESSING.wire())) {
      assertThat(condition(stack, type).getStatus()).isEqualTo("False");
      assertThat(condition(stack, type).getReason()).isEqualTo("PreUpgradeBackupFailed");
    }
    assertThat(condition(stack, ConditionType.DEGRADED.wire()).getStatus()).isEqualTo("True");
    assertThat(condition(stack, ConditionType.PROGRESSING.wire()).getMessage()).contains(name).contains("database dump failed")
        .contains("stay at 1");
    assertThat(notices).extracting(TransitionEvents.Note::reason).containsExactly("BackupFailed");
    assertThat(notices).allMatch(TransitionEvents.Note::warning);
    // The PreUpgradeBackupFailed Warning is Degraded turning True, under its own reason.
    assertThat(TransitionEvents.between(aggregated("AllComponentsReady"), stack.getStatus(), "2"))
        .contains(new TransitionEvents.Note(true, "PreUpgradeBackupFailed",
            condition(stack, ConditionType.DEGRADED.wire()).getMessage()));

    PiStackStatus before = stack.getStatus();
    assertThat(round(stack, "AllComponentsReady", plan, List.of(job), Map.of())).isEmpty();
    assertThat(stack.getStatus()).isEqualTo(before);
  }

  @Test
  void faultsOfTheStackItselfWinOverTheGateReasons() {
    PiStack stack = stack("  version: \"2\"\n  backup:\n    enabled: true\n");
    ResolvedStack resolved = new ResolvedStack(stack);
    LifecyclePlan plan = LifecyclePlan.decide(resolved, List.of(dashboard("1")), List.of(), Optional.empty());
    round(stack, "ReconcileFailed", plan, List.of(), Map.of());
    assertThat(condition(stack, ConditionType.READY.wire()).getReason()).isEqualTo("ReconcileFailed");
    round(stack, "AllComponentsReady", plan, List.of(), Map.of());
    assertThat(condition(stack, ConditionType.READY.wire()).getReason()).isEqualTo("PreUpgradeBackup");
    assertThat(condition(stack, ConditionType.PROGRESSING.wire()).getStatus()).isEqualTo("True");
    assertThat(condition(stack, ConditionType.PROGRESSING.wire()).getMessage()).contains("database");
  }

  @Test
  void aRefusedRestoreSaysWhyAndHowToGoOn() {
    PiStack stack = stack("  version: \"1\"\n  restore:\n    backup: latest\n");
    ResolvedStack resolved = new ResolvedStack(stack);
    var request = resolved.backup().restore().orElseThrow();
    Job job = new JobBuilder(BackupJobBuilder.restore(resolved, request)).withNewStatus()
        .addToConditions(new JobConditionBuilder().withType("Failed").withStatus("True").withReason("PodFailurePolicy")
            .withMessage("Container restore for pod ns/x failed with exit code 3 matching FailJob rule at index 0")
            .withLastTransitionTime("2026-01-15T11:00:00Z").build())
        .endStatus().build();
    LifecyclePlan plan = LifecyclePlan.decide(resolved, List.of(), List.of(job), Optional.of(readyDb()));
    assertThat(UnrecordedJobs.of(new ResolvedStack(stack), plan, List.of(job))).containsExactly(job);

    var notices = round(stack, "AllComponentsReady", plan, List.of(job), Map.of(job.getMetadata().getName(),
        "{\"error\":\"database dashboard is not empty (57 tables); set force to overwrite\",\"exitCode\":3}"));
    RestoreStatus r = stack.getStatus().restore;
    assertThat(r.phase).isEqualTo(RestoreStatus.Phase.Refused);
    assertThat(r.backup).isEqualTo("latest");
    assertThat(r.force).isFalse();
    assertThat(r.jobName).isEqualTo(job.getMetadata().getName());
    assertThat(r.completionTime).isEqualTo("2026-01-15T11:00:00Z");
    assertThat(r.message).contains("not empty").contains("spec.restore.force").contains("57 tables");
    assertThat(condition(stack, ConditionType.READY.wire()).getReason()).isEqualTo("RestoreRefused");
    assertThat(condition(stack, ConditionType.PROGRESSING.wire()).getStatus()).isEqualTo("False");
    assertThat(notices).isEmpty();
    assertThat(TransitionEvents.between(aggregated("AllComponentsReady"), stack.getStatus(), "1"))
        .contains(new TransitionEvents.Note(true, "RestoreRefused", r.message));

    // Recorded: the next reconcile's plan keeps the recorded outcome; no more pod reads, the message
    // stays (even without the pod), no repeated event.
    plan = LifecyclePlan.decide(new ResolvedStack(stack), List.of(), List.of(job), Optional.of(readyDb()));
    assertThat(plan.restore().phase()).isEqualTo(RestoreStatus.Phase.Refused);
    assertThat(UnrecordedJobs.of(new ResolvedStack(stack), plan, List.of(job))).isEmpty();
    PiStackStatus before = stack.getStatus();
    assertThat(round(stack, "AllComponentsReady", plan, List.of(job), Map.of())).isEmpty();
    assertThat(stack.getStatus()).isEqualTo(before);
  }

  @Test
  void aFailedRestoreWhosePodIsGoneSaysTheCauseIsUnknown() {
    PiStack stack = stack("  version: \"1\"\n  restore:\n    backup: latest\n");
    ResolvedStack resolved = new ResolvedStack(stack);
    var request = resolved.backup().restore().orElseThrow();
    Job job = new JobBuilder(BackupJobBuilder.restore(resolved, request)).withNewStatus()
        .addToConditions(new JobConditionBuilder().withType("Failed").withStatus("True").withReason("PodFailurePolicy")
            .withMessage("Container restore for pod ns/x failed with exit code 3 matching FailJob rule at index 0")
            .withLastTransitionTime("2026-01-15T11:00:00Z").build())
        .endStatus().build();
    LifecyclePlan plan = LifecyclePlan.decide(resolved, List.of(), List.of(job), Optional.of(readyDb()));
    // No termination message (the pod was deleted): a failure, not a guess from the Job controller's prose.
    round(stack, "AllComponentsReady", plan, List.of(job), Map.of());
    RestoreStatus r = stack.getStatus().restore;
    assertThat(r.phase).isEqualTo(RestoreStatus.Phase.Failed);
    assertThat(r.message).contains("could not be read").contains("exit code and error are unknown")
        .contains("delete the Job to retry");
    assertThat(condition(stack, ConditionType.READY.wire()).getReason()).isEqualTo("RestoreFailed");
    assertThat(condition(stack, ConditionType.DEGRADED.wire()).getStatus()).isEqualTo("True");
  }

  private static io.fabric8.kubernetes.api.model.apps.Deployment dashboard(String version) {
    return new DeploymentBuilder().withNewMetadata().withName("pi-dashboard").addToLabels(Labels.COMPONENT, "dashboard")
        .addToLabels(Labels.VERSION, version).endMetadata().withNewSpec().withReplicas(3).endSpec().build();
  }

  private static io.fabric8.kubernetes.api.model.apps.StatefulSet readyDb() {
    return new StatefulSetBuilder().withNewMetadata().withName("pi-db").endMetadata()
        .withNewSpec().withReplicas(1).endSpec()
        .withNewStatus().withReadyReplicas(1).endStatus().build();
  }

  private static Condition condition(PiStack stack, String type) {
    return stack.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
