package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * keep on recorded PiBackups: per origin, the newest keep completed ones stay and every finished one older than
 * the oldest kept goes; running ones, the user's, S3 targets and stacks being restored are left alone.
 */
class BackupPruningTest {
  static final String KEEP_2 = "  version: \"2025_10.1\"\n  backup:\n    enabled: true\n    keep: 2\n";
  final PiStack stack = TestStacks.of(KEEP_2);
  final BackupSettings settings = new ResolvedStack(stack).backup();

  /** A recorded PiBackup of a CronJob run started at minute {@code m}, in {@code phase}. */
  PiBackup recorded(String jobName, int m, Phase phase) {
    Job job = RecordedBackupsTest.run(stack, jobName, "uid-" + jobName);
    PiBackup b = RecordedBackups.record(stack, job);
    b.setStatus(new PiBackupStatus());
    b.getStatus().phase = phase;
    b.getStatus().startTime = String.format("2026-12-07T01:%02d:00Z", m);
    return b;
  }

  @Test
  void theNewestKeepCompletedStayAndEveryFinishedOneOlderGoesOldestFirst() {
    List<PiBackup> all = new ArrayList<>(List.of(
        recorded("pi-backup-1", 1, Phase.Completed),
        recorded("pi-backup-2", 2, Phase.Failed),
        recorded("pi-backup-3", 3, Phase.Completed),
        recorded("pi-backup-4", 4, Phase.Failed),   // newer than the oldest kept: a failure stays in the list
        recorded("pi-backup-5", 5, Phase.Completed),
        recorded("pi-backup-6", 6, Phase.Running)));
    assertThat(BackupPruning.prune(settings, all, false)).containsExactly(
        all.get(0).getMetadata().getName(), all.get(1).getMetadata().getName());
  }

  @Test
  void nothingIsPrunedUpToKeepNorWhileRunningNorTheUsersOwn() {
    PiBackup mine = PiBackupJobsTest.backup("mine", "uid-m", "pi", false);
    mine.setStatus(new PiBackupStatus());
    mine.getStatus().phase = Phase.Completed;
    mine.getStatus().startTime = "2026-12-07T00:00:00Z";
    List<PiBackup> all = List.of(mine, recorded("pi-backup-1", 1, Phase.Running),
        recorded("pi-backup-2", 2, Phase.Completed), recorded("pi-backup-3", 3, Phase.Completed));
    assertThat(BackupPruning.prune(settings, all, false)).isEmpty();
  }

  @Test
  void eachOriginKeepsItsOwnAsBackupShDoesPerPrefix() {
    PiStack upgraded = TestStacks.of(KEEP_2.replace("2025_10.1", "2026_01.0"));
    List<PiBackup> all = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Job pre = BackupJobBuilder.preUpgrade(new ResolvedStack(upgraded), "2025_10.1", "2026_0" + i + ".0");
      pre.getMetadata().setUid("uid-pre-" + i);
      PiBackup b = RecordedBackups.record(upgraded, pre);
      b.setStatus(new PiBackupStatus());
      b.getStatus().phase = Phase.Completed;
      b.getStatus().startTime = "2026-12-0" + i + "T00:00:00Z";
      all.add(b);
    }
    all.add(recorded("pi-backup-1", 1, Phase.Completed));
    all.add(recorded("pi-backup-2", 2, Phase.Completed));
    assertThat(BackupPruning.prune(settings, all, false)).containsExactly(all.get(0).getMetadata().getName());
  }

  @Test
  void aRestoreInProgressOrAnS3TargetPrunesNothing() {
    List<PiBackup> all = List.of(recorded("pi-backup-1", 1, Phase.Completed),
        recorded("pi-backup-2", 2, Phase.Completed), recorded("pi-backup-3", 3, Phase.Completed));
    assertThat(BackupPruning.prune(settings, all, false)).hasSize(1);
    assertThat(BackupPruning.prune(settings, all, true)).isEmpty();
    BackupSettings s3 = TestStacks.resolved(BackupS3BuildersTest.S3 + "    keep: 2\n").backup();
    assertThat(BackupPruning.prune(s3, all, false)).isEmpty();
  }
}
