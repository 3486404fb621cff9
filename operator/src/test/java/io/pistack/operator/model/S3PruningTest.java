package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase;
import io.pistack.operator.model.S3Pruning.Action;
import io.pistack.operator.model.S3Pruning.Decision;
import io.pistack.operator.model.S3Pruning.PruneJob;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * keep on S3, per PiBackup beyond keep: a prune Job first, the PiBackup deleted only after that Job succeeded; a
 * backup under Object Lock (s3.sh delete's exit 3) stays with the date, and its Job is replaced once that date has
 * passed; nothing while a restore runs, nothing for a volume target (BackupPruning does that).
 */
class S3PruningTest {
  static final Instant NOW = Instant.parse("2026-12-07T05:00:00Z");
  final BackupPruningTest volume = new BackupPruningTest();
  final BackupSettings s3 = TestStacks.resolved(BackupS3BuildersTest.S3 + "    keep: 1\n").backup();

  PiBackup uploaded(String job, int m) {
    PiBackup b = volume.recorded(job, m, Phase.Completed);
    b.getStatus().backupName = "scheduled-20261207T01" + String.format("%02d", m) + "00Z";
    return b;
  }

  static PruneJob job(String condition, String terminationMessage) {
    JobBuilder j = new JobBuilder().withNewMetadata().withName("prune").endMetadata();
    if (condition != null) {
      j.withNewStatus().addNewCondition().withType(condition).withStatus("True").withReason("r")
          .withLastTransitionTime("2026-12-07T04:00:00Z").endCondition().withCompletionTime(
              condition.equals("Complete") ? "2026-12-07T04:00:00Z" : null).endStatus();
    }
    Job built = j.build();
    return new PruneJob(JobOutcome.of(built, terminationMessage), terminationMessage);
  }

  static String locked(String until) {
    return "{\"error\":\"s3://b/p/x is under Object Lock\",\"exitCode\":3,\"locked\":true,\"mode\":\"COMPLIANCE\","
        + "\"retainUntil\":" + (until == null ? "null" : "\"" + until + "\"") + ",\"legalHold\":" + (until == null) + "}";
  }

  @Test
  void beyondKeepAPruneJobIsMadeFirstAndThePiBackupGoesOnlyAfterItSucceeded() {
    PiBackup old = uploaded("pi-backup-1", 1);
    List<PiBackup> all = List.of(old, uploaded("pi-backup-2", 2));
    String name = old.getMetadata().getName();
    assertThat(S3Pruning.plan(s3, all, Map.of(), false, NOW)).containsExactly(new Decision(name, Action.CREATE_JOB, null, ""));
    assertThat(S3Pruning.plan(s3, all, Map.of(name, job(null, null)), false, NOW))
        .extracting(Decision::action).containsExactly(Action.WAIT);
    assertThat(S3Pruning.plan(s3, all, Map.of(name, job("Complete", null)), false, NOW))
        .extracting(Decision::action).containsExactly(Action.DELETE_BACKUP);
  }

  @Test
  void aLockedBackupStaysWithItsDateAndItsJobIsReplacedOnceTheDateHasPassed() {
    PiBackup old = uploaded("pi-backup-1", 1);
    List<PiBackup> all = List.of(old, uploaded("pi-backup-2", 2));
    String name = old.getMetadata().getName();
    Map<String, PruneJob> refused = Map.of(name, job("Failed", locked("2026-12-08T05:00:00Z")));
    assertThat(S3Pruning.plan(s3, all, refused, false, NOW)).containsExactly(new Decision(name, Action.LOCKED,
        "2026-12-08T05:00:00Z", "Object Lock COMPLIANCE retention until 2026-12-08T05:00:00Z"));
    assertThat(S3Pruning.plan(s3, all, refused, false, Instant.parse("2026-12-08T05:00:01Z")))
        .extracting(Decision::action).containsExactly(Action.REPLACE_JOB);
    // A legal hold has no date: it stays until someone lifts it.
    assertThat(S3Pruning.plan(s3, all, Map.of(name, job("Failed", locked(null))), false, NOW))
        .containsExactly(new Decision(name, Action.LOCKED, null, "a legal hold is on"));
  }

  @Test
  void anotherFailureKeepsThePiBackupAndSaysWhy() {
    PiBackup old = uploaded("pi-backup-1", 1);
    String name = old.getMetadata().getName();
    Map<String, PruneJob> failed = Map.of(name, job("Failed", "{\"error\":\"cannot list s3://b/p/\",\"exitCode\":1}"));
    assertThat(S3Pruning.plan(s3, List.of(old, uploaded("pi-backup-2", 2)), failed, false, NOW))
        .containsExactly(new Decision(name, Action.FAILED, null, "cannot list s3://b/p/"));
    // Without a termination message (the pod is gone) the Job's own reason is shown; it is not taken for a lock.
    assertThat(S3Pruning.decide(old, Optional.of(job("Failed", null)), NOW).action()).isEqualTo(Action.FAILED);
  }

  @Test
  void aPiBackupThatNeverUploadedIsDeletedAtOnceWithoutAJob() {
    PiBackup failed = volume.recorded("pi-backup-1", 1, Phase.Failed);
    assertThat(S3Pruning.plan(s3, List.of(failed, uploaded("pi-backup-2", 2)), Map.of(), false, NOW))
        .containsExactly(new Decision(failed.getMetadata().getName(), Action.DELETE_BACKUP, null, "no data was uploaded"));
  }

  @Test
  void nothingWhileARestoreRunsNorUpToKeepNorForAVolumeTarget() {
    List<PiBackup> all = List.of(uploaded("pi-backup-1", 1), uploaded("pi-backup-2", 2));
    assertThat(S3Pruning.plan(s3, all, Map.of(), true, NOW)).isEmpty();
    assertThat(S3Pruning.plan(s3, all.subList(1, 2), Map.of(), false, NOW)).isEmpty();
    List<PiBackup> three = List.of(uploaded("pi-backup-1", 1), uploaded("pi-backup-2", 2), uploaded("pi-backup-3", 3));
    assertThat(BackupPruning.prune(volume.settings, three, false)).hasSize(1); // keep 2: one beyond it on a volume
    assertThat(S3Pruning.plan(volume.settings, three, Map.of(), false, NOW)).isEmpty();
  }

  @Test
  void withoutAnExplicitKeepTheBucketsOwnRulesDecideAsBefore() {
    BackupSettings unset = TestStacks.resolved(BackupS3BuildersTest.S3).backup();
    List<PiBackup> eight = java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(i -> uploaded("pi-backup-" + i, i))
        .toList();
    assertThat(unset.keep()).as("the default, on a backup volume").isEqualTo(7);
    assertThat(S3Pruning.plan(unset, eight, Map.of(), false, NOW)).isEmpty();
    BackupSettings seven = TestStacks.resolved(BackupS3BuildersTest.S3 + "    keep: 7\n").backup();
    assertThat(S3Pruning.plan(seven, eight, Map.of(), false, NOW)).extracting(Decision::backup)
        .containsExactly(eight.get(0).getMetadata().getName());
  }
}
