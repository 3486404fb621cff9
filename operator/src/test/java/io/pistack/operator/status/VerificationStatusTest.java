package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.pistack.operator.api.v1alpha1.BackupVerificationStatus.Result;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.model.BackupJobBuilder;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.UnrecordedJobs;
import io.pistack.operator.model.VerificationDecision;
import io.pistack.operator.metrics.OperatorMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each new backup gets a verification Job; its outcome becomes status.backup.lastVerified, a condition and a metric. */
class VerificationStatusTest {
  /** One status decision (StatusAggregator) per round, as BackupRestoreStatusTest makes them. */
  final BackupRestoreStatusTest rounds = new BackupRestoreStatusTest();

  @Test
  void eachNewBackupIsVerifiedOnceAndAFailureIsACondition() {
    PiStack stack = BackupRestoreStatusTest.stack("  version: \"1\"\n  backup:\n    enabled: true\n");
    LifecyclePlan plan = LifecyclePlan.open(new ResolvedStack(stack));
    List<Job> jobs = new ArrayList<>(List.of(BackupRestoreStatusTest.scheduled("pi-backup-1", "2026-01-14T02:00:40Z", true)));
    round(stack, plan, jobs, Map.of("pi-backup-1", "{\"name\":\"scheduled-20260114T020001Z\",\"sizeBytes\":42}"));
    assertThat(condition(stack).getStatus()).isEqualTo("False");
    assertThat(condition(stack).getReason()).isEqualTo("NotVerifiedYet");

    // The recorded backup gets its Job, named after it.
    Job verify = VerificationDecision.desiredJob(new ResolvedStack(stack)).orElseThrow();
    assertThat(verify.getMetadata().getName()).startsWith("pi-verify-");
    assertThat(verify.getMetadata().getAnnotations()).containsEntry(BackupJobBuilder.VERIFY_BACKUP,
        "scheduled-20260114T020001Z");
    assertThat(UnrecordedJobs.of(new ResolvedStack(stack), plan, List.of(verify))).as("still running").isEmpty();

    Job passed = finished(verify, "2026-01-14T02:03:00Z", true);
    jobs.add(passed);
    assertThat(UnrecordedJobs.of(new ResolvedStack(stack), plan, jobs)).containsExactly(passed);
    var notices = round(stack, plan, jobs, Map.of(passed.getMetadata().getName(),
        "{\"name\":\"scheduled-20260114T020001Z\",\"result\":\"Passed\",\"tables\":312,\"rows\":{\"mis_user\":7},\"seconds\":41}"));
    var v = stack.getStatus().backup.lastVerified;
    assertThat(v.result).isEqualTo(Result.Passed);
    assertThat(v.backupName).isEqualTo("scheduled-20260114T020001Z");
    assertThat(v.time).isEqualTo("2026-01-14T02:03:00Z");
    assertThat(v.message).isEqualTo("restored 312 tables; rows {\"mis_user\":7} in 41s");
    assertThat(notices).isEmpty();
    assertThat(condition(stack).getReason()).isEqualTo("VerificationPassed");
    // Recorded: the Job is no longer wanted (it is deleted), and its pod is not read again.
    assertThat(VerificationDecision.desiredJob(new ResolvedStack(stack))).isEmpty();
    assertThat(UnrecordedJobs.of(new ResolvedStack(stack), plan, jobs)).isEmpty();

    // The next backup fails verification: a condition, one Warning event, and the Job stays for its logs.
    jobs.add(BackupRestoreStatusTest.scheduled("pi-backup-2", "2026-01-15T02:00:40Z", true));
    round(stack, plan, jobs, Map.of("pi-backup-2", "{\"name\":\"scheduled-20260115T020001Z\",\"sizeBytes\":43}"));
    Job second = VerificationDecision.desiredJob(new ResolvedStack(stack)).orElseThrow();
    assertThat(second.getMetadata().getName()).isNotEqualTo(verify.getMetadata().getName());
    Job failed = finished(second, "2026-01-15T02:04:00Z", false);
    jobs.add(failed);
    notices = round(stack, plan, jobs, Map.of(failed.getMetadata().getName(),
        "{\"name\":\"scheduled-20260115T020001Z\",\"result\":\"Failed\",\"error\":\"backup scheduled-20260115T020001Z:"
            + " key table mis_user is empty\",\"exitCode\":4}"));
    v = stack.getStatus().backup.lastVerified;
    assertThat(v.result).isEqualTo(Result.Failed);
    assertThat(v.message).isEqualTo("Job " + failed.getMetadata().getName()
        + ": backup scheduled-20260115T020001Z: key table mis_user is empty");
    Condition c = condition(stack);
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo(Reason.VERIFICATION_FAILED.wire());
    assertThat(c.getMessage()).contains("key table mis_user is empty");
    assertThat(notices).containsExactly(new TransitionEvents.Note(true, "BackupVerificationFailed", v.message));
    assertThat(VerificationDecision.desiredJob(new ResolvedStack(stack))).as("kept for its logs").isPresent();
    assertThat(stack.getStatus().backup.lastBackupName).isEqualTo("scheduled-20260115T020001Z");

    // Stable: the same observation writes nothing new and says nothing.
    PiStackStatus before = stack.getStatus();
    assertThat(UnrecordedJobs.of(new ResolvedStack(stack), plan, jobs)).isEmpty();
    assertThat(round(stack, plan, jobs, Map.of())).isEmpty();
    assertThat(stack.getStatus()).isEqualTo(before);

    // The metrics mirror it: failed, at the verification's time.
    OperatorMetrics metrics = new OperatorMetrics();
    new StatusMetrics(metrics).record(stack, stack.getStatus());
    assertThat(metrics.scrape()).contains("pi_operator_backup_verification_passed{name=\"pi\",namespace=\"ns\"} 0.0")
        .contains("pi_operator_backup_last_verification_timestamp_seconds{name=\"pi\",namespace=\"ns\"} 1.76844264E9");
  }

  @Test
  void withVerificationOffThereIsNoJobNoConditionAndNoMetric() {
    PiStack stack = BackupRestoreStatusTest.stack("  version: \"1\"\n  backup:\n    enabled: true\n"
        + "    verify: {enabled: false}\n");
    LifecyclePlan plan = LifecyclePlan.open(new ResolvedStack(stack));
    List<Job> jobs = List.of(BackupRestoreStatusTest.scheduled("pi-backup-1", "2026-01-14T02:00:40Z", true));
    round(stack, plan, jobs, Map.of("pi-backup-1", "{\"name\":\"scheduled-20260114T020001Z\"}"));
    assertThat(stack.getStatus().backup.lastBackupName).isEqualTo("scheduled-20260114T020001Z");
    assertThat(VerificationDecision.desiredJob(new ResolvedStack(stack))).isEmpty();
    assertThat(stack.getStatus().conditions).noneMatch(c -> c.getType().equals(ConditionType.BACKUP_VERIFICATION_FAILING.wire()));
    OperatorMetrics metrics = new OperatorMetrics();
    new StatusMetrics(metrics).record(stack, stack.getStatus());
    assertThat(metrics.scrape()).doesNotContain("pi_operator_backup_verification");
  }

  /** The lifecycle events of the round's transition. */
  private List<TransitionEvents.Note> round(PiStack stack, LifecyclePlan plan, List<Job> jobs,
      Map<String, String> messages) {
    return rounds.round(stack, "AllComponentsReady", plan, jobs, messages);
  }

  private static Job finished(Job job, String at, boolean ok) {
    var b = new JobBuilder(job).withNewStatus();
    if (ok) {
      b.withCompletionTime(at).addToConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
          .withLastTransitionTime(at).build());
    } else {
      b.addToConditions(new JobConditionBuilder().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
          .withMessage("Job has reached the specified backoff limit").withLastTransitionTime(at).build());
    }
    return b.endStatus().build();
  }

  private static Condition condition(PiStack stack) {
    return stack.getStatus().conditions.stream().filter(c -> ConditionType.BACKUP_VERIFICATION_FAILING.wire().equals(c.getType()))
        .findFirst().orElseThrow();
  }
}
