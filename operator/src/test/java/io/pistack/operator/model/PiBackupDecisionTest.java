package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.pistack.operator.api.v1alpha1.BackupVerificationStatus;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase;
import io.pistack.operator.status.PiBackupDecision;
import io.pistack.operator.status.PiBackupDecision.Result;
import io.pistack.operator.status.PiBackupDecision.StackProblem;
import io.pistack.operator.status.PiBackupDecision.Why;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status of a PiBackup and the Jobs to create, decided from what is seen (pure). */
class PiBackupDecisionTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T01:00:00Z"), ZoneOffset.UTC);
  static final String DONE = "{\"name\":\"on-demand-20261207T010000Z\",\"location\":\"s3://b/ns/pi/on-demand-20261207T010000Z\","
      + "\"sizeBytes\":4096,\"completedAt\":\"2026-12-07T01:00:30Z\",\"retainUntil\":null,"
      + "\"manifestSha256\":\"sha256:abc\",\"versionId\":\"v1\"}";

  final ResolvedStack stack = TestStacks.resolved(BackupBuildersTest.BACKUPS_ON);

  @Test
  void aNewPiBackupOfABackedUpStackCreatesItsJobOnceThenFollowsIt() {
    PiBackup b = PiBackupJobsTest.backup("b1", "uid-1", "pi", false);
    Result first = decide(b, Optional.empty(), null, null);
    assertThat(first.createBackup()).isTrue();
    assertThat(first.status().phase).isEqualTo(Phase.Pending);
    assertThat(condition(first, "Progressing").getStatus()).isEqualTo("True");
    assertThat(condition(first, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(first, "Stalled")).isNull();

    // The Job exists: never created again.
    b.setStatus(first.status());
    b.getStatus().jobName = PiBackupJobs.backupName(b);
    Job job = PiBackupJobs.backup(stack, b);
    Job running = new JobBuilder(job).withNewStatus().withActive(1).withReady(1)
        .withStartTime("2026-12-07T01:00:05Z").endStatus().build();
    Result r = decide(b, Optional.empty(), running, null);
    assertThat(r.createBackup()).isFalse();
    assertThat(r.status().phase).isEqualTo(Phase.Running);
    assertThat(r.status().startTime).isEqualTo("2026-12-07T01:00:05Z");

    b.setStatus(r.status());
    Result done = decide(b, Optional.empty(), Jobs.succeeded(job, "2026-12-07T01:00:31Z"), DONE);
    assertThat(done.createBackup()).isFalse();
    assertThat(done.createVerification()).isFalse();
    assertThat(done.status().phase).isEqualTo(Phase.Completed);
    assertThat(done.status().backupName).isEqualTo("on-demand-20261207T010000Z");
    assertThat(done.status().location).isEqualTo("s3://b/ns/pi/on-demand-20261207T010000Z");
    assertThat(done.status().sizeBytes).isEqualTo(4096L);
    assertThat(done.status().manifestSha256).isEqualTo("sha256:abc");
    assertThat(done.status().versionId).isEqualTo("v1");
    assertThat(done.status().completionTime).isEqualTo("2026-12-07T01:00:31Z");
    assertThat(condition(done, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(done, "Ready").getReason()).isEqualTo("BackupCompleted");
    assertThat(condition(done, "Progressing").getStatus()).isEqualTo("False");

    // Settled: the same status, nothing to create, whatever is seen.
    b.setStatus(done.status());
    assertThat(PiBackupDecision.done(b)).isTrue();
    Result again = decide(b, Optional.empty(), null, null);
    assertThat(again.status()).isEqualTo(done.status());
    assertThat(again.createBackup()).isFalse();
  }

  @Test
  void aMissingStackOrOneWithoutBackupsFailsWithAReasonAndCreatesNothing() {
    for (Why why : List.of(Why.StackNotFound, Why.BackupsNotConfigured, Why.InvalidStack)) {
      PiBackup b = PiBackupJobsTest.backup("b1", "uid-1", "gone", false);
      Result r = decide(b, Optional.of(new StackProblem(why, "PiStack gone: " + why)), null, null);
      assertThat(r.createBackup()).isFalse();
      assertThat(r.status().phase).isEqualTo(Phase.Failed);
      assertThat(r.status().reason).isEqualTo(why.name());
      assertThat(r.status().message).isEqualTo("PiStack gone: " + why);
      assertThat(condition(r, "Stalled").getStatus()).isEqualTo("True");
      assertThat(condition(r, "Stalled").getReason()).isEqualTo(why.name());
      assertThat(condition(r, "Ready").getStatus()).isEqualTo("False");
    }
  }

  @Test
  void aFailedJobIsTheScriptsErrorAndAJobDeletedMidRunIsNotReplaced() {
    PiBackup b = PiBackupJobsTest.backup("b1", "uid-1", "pi", false);
    Job job = PiBackupJobs.backup(stack, b);
    Result failed = decide(b, Optional.empty(), Jobs.failed(job, "2026-12-07T01:02:00Z", "BackoffLimitExceeded",
        "Job has reached the specified backoff limit"), "{\"error\":\"cannot connect to pi-db:3306\",\"exitCode\":1}");
    assertThat(failed.status().phase).isEqualTo(Phase.Failed);
    assertThat(failed.status().reason).isEqualTo("BackupFailed");
    assertThat(failed.status().message).contains("cannot connect to pi-db:3306");

    PiBackup lost = PiBackupJobsTest.backup("b2", "uid-2", "pi", false);
    lost.setStatus(decide(lost, Optional.empty(), null, null).status());
    lost.getStatus().jobName = PiBackupJobs.backupName(lost);
    Result r = decide(lost, Optional.empty(), null, null);
    assertThat(r.createBackup()).as("a second backup Job, ever").isFalse();
    assertThat(r.status().reason).isEqualTo("JobDeleted");
  }

  @Test
  void withVerifyTheCompletedBackupIsVerifiedAndReadyOnlyWhenItPassed() {
    PiBackup b = PiBackupJobsTest.backup("b1", "uid-1", "pi", true);
    Job job = PiBackupJobs.backup(stack, b);
    Result done = decide(b, Optional.empty(), Jobs.succeeded(job, "2026-12-07T01:00:31Z"), DONE);
    assertThat(done.createVerification()).isTrue();
    assertThat(condition(done, "Ready").getStatus()).isEqualTo("False");
    assertThat(condition(done, "Ready").getReason()).isEqualTo("Verifying");
    b.setStatus(done.status());
    assertThat(PiBackupDecision.done(b)).isFalse();

    Job verify = PiBackupJobs.verify(stack, b, done.status().backupName);
    Result verifying = PiBackupDecision.decide(b, Optional.empty(), null, null, Jobs.active(verify), null, CLOCK);
    assertThat(verifying.createVerification()).isFalse();
    assertThat(verifying.status().verification).isNull();

    Result passed = PiBackupDecision.decide(b, Optional.empty(), null, null,
        Jobs.succeeded(verify, "2026-12-07T01:05:00Z"), "{\"tables\":120,\"rows\":{\"mis_user\":3},\"seconds\":40}", CLOCK);
    assertThat(passed.status().verification.result).isEqualTo(BackupVerificationStatus.Result.Passed);
    assertThat(passed.status().verification.time).isEqualTo("2026-12-07T01:05:00Z");
    assertThat(condition(passed, "Ready").getStatus()).isEqualTo("True");
    assertThat(condition(passed, "Ready").getReason()).isEqualTo("VerificationPassed");

    Result bad = PiBackupDecision.decide(b, Optional.empty(), null, null, Jobs.failed(verify, "2026-12-07T01:05:00Z",
        "BackoffLimitExceeded", "x"), "{\"error\":\"table mis_user is empty\",\"exitCode\":4}", CLOCK);
    assertThat(bad.status().phase).as("the data exists").isEqualTo(Phase.Completed);
    assertThat(condition(bad, "Stalled").getReason()).isEqualTo("VerificationFailed");
    assertThat(condition(bad, "Ready").getMessage()).contains("table mis_user is empty");
  }

  @Test
  void aCompletedBackupWhoseStackWentAwayIsNotVerifiedAndSaysWhy() {
    PiBackup b = PiBackupJobsTest.backup("b1", "uid-1", "pi", true);
    Job job = PiBackupJobs.backup(stack, b);
    StackProblem gone = new StackProblem(Why.StackNotFound, "PiStack pi does not exist in namespace ns");
    Result now = decide(b, Optional.of(gone), Jobs.succeeded(job, "2026-12-07T01:00:31Z"), DONE);
    assertThat(now.createVerification()).isFalse();
    assertThat(now.status().verification.result).isEqualTo(BackupVerificationStatus.Result.Failed);
    assertThat(now.status().verification.message).contains("PiStack pi does not exist");

    b.setStatus(decide(b, Optional.empty(), Jobs.succeeded(job, "2026-12-07T01:00:31Z"), DONE).status());
    b.getStatus().verification = null;
    Result later = decide(b, Optional.of(gone), null, null);
    assertThat(later.createVerification()).isFalse();
    assertThat(condition(later, "Stalled").getReason()).isEqualTo("VerificationFailed");
    b.setStatus(later.status());
    assertThat(PiBackupDecision.done(b)).isTrue();
  }

  private Result decide(PiBackup b, Optional<StackProblem> problem, Job job, String message) {
    return PiBackupDecision.decide(b, problem, job, message, null, null, CLOCK);
  }

  private static Condition condition(Result r, String type) {
    return r.status().conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }
}
