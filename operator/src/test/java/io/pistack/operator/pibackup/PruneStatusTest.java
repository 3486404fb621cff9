package io.pistack.operator.pibackup;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupSpec;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.model.S3PruneJobs;
import io.pistack.operator.model.ResolvedStack;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a finished PiBackup says once keep's prune Job could not delete its data: Retained (True) with the reason
 * ObjectLocked and status.lockedUntil, LegalHold, or PruneFailed with the script's error; nothing while the Job runs,
 * nothing new once said (a settled PiBackup is not written again), and the other conditions are left as they were.
 */
class PruneStatusTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T05:00:00Z"), ZoneOffset.UTC);
  static final String S3 = "  version: \"2025_10.1\"\n  backup:\n    enabled: true\n    keep: 1\n    storage:\n      s3:\n"
      + "        bucket: pi-backups\n        region: eu-west-2\n        credentials: {secretName: pi-s3}\n";

  static PiBackup completed() {
    PiBackup b = new PiBackup();
    b.getMetadata().setName("pi-backup-29413200");
    b.getMetadata().setNamespace("ns");
    b.getMetadata().setUid("uid-1");
    b.getMetadata().setGeneration(1L);
    b.setSpec(new PiBackupSpec());
    b.getSpec().stack = "pi";
    b.setStatus(new PiBackupStatus());
    b.getStatus().phase = PiBackupStatus.Phase.Completed;
    b.getStatus().backupName = "scheduled-20261207T010000Z";
    b.getStatus().location = "s3://pi-backups/ns/pi/scheduled-20261207T010000Z";
    b.getStatus().conditions = new ArrayList<>(List.of(new ConditionBuilder().withType("Ready").withStatus("True")
        .withReason("BackupCompleted").withMessage("done").withLastTransitionTime("2026-12-07T01:01:00Z")
        .withObservedGeneration(1L).build()));
    return b;
  }

  static Job pruneJob(PiBackup b, String condition, String result) {
    String yaml = "apiVersion: pistack.io/v1alpha1\nkind: PiStack\nmetadata:\n  name: pi\n  namespace: ns\n"
        + "  uid: stack-uid\nspec:\n" + S3;
    Job job = S3PruneJobs.build(new ResolvedStack(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(yaml,
        io.pistack.operator.api.v1alpha1.PiStack.class)), b);
    if (condition != null) {
      job.setStatus(new JobStatusBuilder().withConditions(new JobConditionBuilder().withType(condition)
          .withStatus("True").withReason("PodFailurePolicy").withMessage("Container delete failed with exit code 3")
          .withLastTransitionTime("2026-12-07T04:00:00Z").build()).build());
    }
    if (result != null) {
      job.getMetadata().setAnnotations(new HashMap<>(java.util.Map.of(S3PruneJobs.RESULT, result)));
    }
    return job;
  }

  static String locked(String until, boolean hold) {
    return "{\"error\":\"s3://pi-backups/ns/pi/scheduled-20261207T010000Z is under Object Lock: not deleting it\","
        + "\"exitCode\":3,\"locked\":true,\"mode\":" + (until == null ? "null" : "\"COMPLIANCE\"") + ",\"retainUntil\":"
        + (until == null ? "null" : "\"" + until + "\"") + ",\"legalHold\":" + hold + "}";
  }

  static Condition retained(PiBackupStatus s) {
    return s.conditions.stream().filter(c -> "Retained".equals(c.getType())).findFirst().orElseThrow();
  }

  @Test
  void aBackupUnderObjectLockSaysUntilWhenAndKeepsItsOtherConditions() {
    PiBackup b = completed();
    Job job = pruneJob(b, "Failed", locked("2027-01-06T01:00:00Z", false));
    PiBackupStatus s = PruneStatus.next(b, List.of(job), CLOCK).orElseThrow();

    assertThat(s.lockedUntil).isEqualTo("2027-01-06T01:00:00Z");
    Condition c = retained(s);
    assertThat(c.getStatus()).isEqualTo("True");
    assertThat(c.getReason()).isEqualTo("ObjectLocked");
    assertThat(c.getMessage()).contains("COMPLIANCE retention until 2027-01-06T01:00:00Z")
        .contains("spec.backup.keep does not delete this backup");
    assertThat(c.getLastTransitionTime()).isEqualTo("2026-12-07T05:00:00Z");
    assertThat(s.conditions).filteredOn(x -> x.getType().equals("Ready")).containsExactlyElementsOf(
        b.getStatus().conditions);
    assertThat(s.phase).isEqualTo(PiBackupStatus.Phase.Completed);
    assertThat(s.backupName).isEqualTo(b.getStatus().backupName);
    assertThat(b.getStatus().lockedUntil).as("the PiBackup read from the cache is not changed").isNull();

    // Written once: the next reconcile, with that status in the cache, writes nothing.
    b.setStatus(s);
    assertThat(PruneStatus.next(b, List.of(job), Clock.offset(CLOCK, java.time.Duration.ofMinutes(5)))).isEmpty();
  }

  @Test
  void aLegalHoldHasNoDate() {
    PiBackup b = completed();
    PiBackupStatus s = PruneStatus.next(b, List.of(pruneJob(b, "Failed", locked(null, true))), CLOCK).orElseThrow();
    assertThat(s.lockedUntil).isNull();
    assertThat(retained(s).getReason()).isEqualTo("LegalHold");
    assertThat(retained(s).getMessage()).contains("a legal hold is on");
  }

  @Test
  void anotherFailureSaysTheScriptsErrorAndWhatToDo() {
    PiBackup b = completed();
    Job job = pruneJob(b, "Failed", "{\"error\":\"cannot list the versions in s3://pi-backups/ns/pi/x/\",\"exitCode\":1}");
    PiBackupStatus s = PruneStatus.next(b, List.of(job), CLOCK).orElseThrow();
    assertThat(s.lockedUntil).isNull();
    assertThat(retained(s).getReason()).isEqualTo("PruneFailed");
    assertThat(retained(s).getMessage()).contains("cannot list the versions in s3://pi-backups/ns/pi/x/")
        .contains(job.getMetadata().getName()).contains("delete the Job to try again");
    // A very long error is cut short.
    Job longer = pruneJob(b, "Failed", "{\"error\":\"" + "x".repeat(2000) + "\",\"exitCode\":1}");
    assertThat(retained(PruneStatus.next(b, List.of(longer), CLOCK).orElseThrow()).getMessage()).hasSizeLessThan(401);
  }

  @Test
  void nothingWithoutAFailedPruneJobWhoseMessageIsKept() {
    PiBackup b = completed();
    assertThat(PruneStatus.next(b, List.of(), CLOCK)).isEmpty();
    assertThat(PruneStatus.next(b, List.of(pruneJob(b, null, null)), CLOCK)).as("running").isEmpty();
    assertThat(PruneStatus.next(b, List.of(pruneJob(b, "Complete", null)), CLOCK)).as("succeeded").isEmpty();
    assertThat(PruneStatus.next(b, List.of(pruneJob(b, "Failed", null)), CLOCK)).as("message not read yet")
        .isEmpty();
    // Another PiBackup's prune Job (another uid) says nothing about this one.
    PiBackup other = completed();
    other.getMetadata().setUid("uid-2");
    assertThat(PruneStatus.next(b, List.of(pruneJob(other, "Failed", locked("2027-01-06T01:00:00Z", false))), CLOCK))
        .isEmpty();
    // The lock has expired: the PiStack reconcile replaces the Job; the status waits for the new one's outcome.
    Job expired = pruneJob(b, "Failed", locked("2026-12-07T04:59:59Z", false));
    assertThat(PruneStatus.next(b, List.of(expired), CLOCK)).isEqualTo(Optional.empty());
  }

  @Test
  void withoutAPruneJobAnyMoreTheConditionAndTheDateGo() {
    PiBackup b = completed();
    b.setStatus(PruneStatus.next(b, List.of(pruneJob(b, "Failed", locked("2027-01-06T01:00:00Z", false))), CLOCK)
        .orElseThrow());
    PiBackupStatus s = PruneStatus.next(b, List.of(), CLOCK).orElseThrow();
    assertThat(s.lockedUntil).isNull();
    assertThat(s.conditions).extracting(Condition::getType).containsExactly("Ready");
    b.setStatus(s);
    assertThat(PruneStatus.next(b, List.of(), CLOCK)).isEmpty();
  }
}
