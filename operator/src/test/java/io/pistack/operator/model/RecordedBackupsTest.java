package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One PiBackup per backup Job of the stack's own (CronJob run, pre-upgrade backup), named after the Job and its uid:
 * made once, annotated once, never made again for a Job already recorded; the user's and PiBackups' Jobs are not.
 */
class RecordedBackupsTest {
  static final String BACKUPS_ON = BackupBuildersTest.BACKUPS_ON;

  /** A run of the stack's CronJob as the CronJob controller makes it: the template's labels, its own name. */
  static Job run(PiStack stack, String name, String uid) {
    Job job = new Job();
    job.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace("ns").withUid(uid)
        .withLabels(BackupCronJobBuilder.build(new ResolvedStack(stack)).getSpec().getJobTemplate().getMetadata()
            .getLabels()).build());
    return job;
  }

  @Test
  void eachUnrecordedRunGetsOnePiBackupNamedAfterTheJobAndItsUidAndIsThenAnnotated() {
    PiStack stack = TestStacks.of(BACKUPS_ON);
    Job a = run(stack, "pi-backup-29412345", "uid-a");
    Job b = run(stack, "pi-backup-29412405", "uid-b");
    RecordedBackups.Plan plan = RecordedBackups.plan(stack, List.of(a, b), Set.of());

    assertThat(plan.create()).extracting(p -> p.getMetadata().getName())
        .containsExactly(RecordedBackups.name(a), RecordedBackups.name(b));
    assertThat(RecordedBackups.name(a)).startsWith("pi-backup-29412345-").hasSize("pi-backup-29412345-".length() + 6);
    assertThat(plan.annotate()).containsExactly(Map.entry("pi-backup-29412345", RecordedBackups.name(a)),
        Map.entry("pi-backup-29412405", RecordedBackups.name(b)));
    PiBackup made = plan.create().get(0);
    assertThat(made.getSpec().stack).isEqualTo("pi");
    assertThat(made.getSpec().verifyWanted()).isFalse(); // the stack's own verification covers scheduled backups
    assertThat(made.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(made.getMetadata().getOwnerReferences()).isNullOrEmpty(); // a backup outlives its stack
    assertThat(made.getMetadata().getLabels()).containsEntry("pistack.io/backup-origin", "scheduled")
        .containsEntry("app.kubernetes.io/managed-by", "pi-operator").containsEntry("app.kubernetes.io/instance", "pi");
    assertThat(RecordedBackups.jobOf(made)).contains(new RecordedBackups.JobRef("pi-backup-29412345", "uid-a"));
    assertThat(RecordedBackups.matches(made, a)).isTrue();
    assertThat(RecordedBackups.matches(made, b)).isFalse();
    assertThat(RecordedBackups.origin(made)).contains("scheduled");
  }

  @Test
  void aKilledReconcileThatMadeThePiBackupButDidNotAnnotateItsJobOnlyAnnotatesIt() {
    PiStack stack = TestStacks.of(BACKUPS_ON);
    Job a = run(stack, "pi-backup-29412345", "uid-a");
    RecordedBackups.Plan plan = RecordedBackups.plan(stack, List.of(a), Set.of(RecordedBackups.name(a)));
    assertThat(plan.create()).isEmpty();
    assertThat(plan.annotate()).containsOnlyKeys("pi-backup-29412345");
  }

  @Test
  void anAnnotatedJobIsNeverRecordedAgainEvenWhenItsPiBackupWasDeleted() {
    PiStack stack = TestStacks.of(BACKUPS_ON);
    Job a = run(stack, "pi-backup-29412345", "uid-a");
    a.getMetadata().setAnnotations(Map.of(RecordedBackups.RECORDED, RecordedBackups.name(a)));
    RecordedBackups.Plan plan = RecordedBackups.plan(stack, List.of(a), Set.of());
    assertThat(plan.nothing()).isTrue();
  }

  @Test
  void aJobRecreatedUnderTheSameNameGetsAnotherPiBackup() {
    PiStack stack = TestStacks.of(BACKUPS_ON);
    Job first = run(stack, "pi-backup-29412345", "uid-a");
    Job again = run(stack, "pi-backup-29412345", "uid-b");
    assertThat(RecordedBackups.name(first)).isNotEqualTo(RecordedBackups.name(again));
  }

  @Test
  void aPreUpgradeBackupIsRecordedWithItsVersionsAndOnlyTheStacksOwnBackupJobsAre() {
    PiStack stack = TestStacks.of("  version: \"2026_01.0\"\n  backup:\n    enabled: true\n");
    ResolvedStack resolved = new ResolvedStack(stack);
    Job pre = BackupJobBuilder.preUpgrade(resolved, "2025_10.1", "2026_01.0");
    pre.getMetadata().setUid("uid-p");
    Job restore = BackupJobBuilder.restore(resolved, new BackupSettings.RestoreRequest("latest", false));
    Job verify = BackupJobBuilder.verify(resolved, "scheduled-20261207T010203Z");
    Job onDemand = PiBackupJobs.backup(resolved, PiBackupJobsTest.backup("mine", "uid-m", "pi", false));
    RecordedBackups.Plan plan = RecordedBackups.plan(stack, List.of(pre, restore, verify, onDemand), Set.of());

    assertThat(plan.create()).singleElement().satisfies(b -> {
      assertThat(b.getMetadata().getLabels()).containsEntry("pistack.io/backup-origin", "pre-upgrade");
      assertThat(b.getMetadata().getAnnotations()).containsEntry("pistack.io/from-version", "2025_10.1")
          .containsEntry("pistack.io/to-version", "2026_01.0")
          .containsEntry("pistack.io/backup-job", pre.getMetadata().getName());
    });
  }

  @Test
  void aUsersPiBackupHasNoOriginAndRecordsNoJob() {
    PiBackup mine = PiBackupJobsTest.backup("mine", "uid-m", "pi", false);
    assertThat(RecordedBackups.jobOf(mine)).isEmpty();
    assertThat(RecordedBackups.origin(mine)).isEmpty();
    // Copying the label alone does not make it the operator's.
    mine.getMetadata().setLabels(Map.of("pistack.io/backup-origin", "scheduled"));
    assertThat(RecordedBackups.origin(mine)).isEmpty();
  }

  @Test
  void aPreUpgradeJobIsHeldUntilItsPiBackupReadItsOutcome() {
    PiStack stack = TestStacks.of("  version: \"2026_01.0\"\n  backup:\n    enabled: true\n");
    Job pre = BackupJobBuilder.preUpgrade(new ResolvedStack(stack), "2025_10.1", "2026_01.0");
    pre.getMetadata().setUid("uid-p");
    assertThat(RecordedBackups.holds(pre, List.of())).as("not recorded yet").isTrue();
    PiBackup b = RecordedBackups.record(stack, pre);
    pre.getMetadata().setAnnotations(Map.of(RecordedBackups.RECORDED, b.getMetadata().getName()));
    assertThat(RecordedBackups.holds(pre, List.of(b))).as("its PiBackup has no outcome yet").isTrue();
    b.setStatus(new io.pistack.operator.api.v1alpha1.PiBackupStatus());
    b.getStatus().phase = io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase.Completed;
    assertThat(RecordedBackups.holds(pre, List.of(b))).isFalse();
    assertThat(RecordedBackups.holds(pre, List.of())).as("its PiBackup was deleted").isFalse();
    Job restore = BackupJobBuilder.restore(new ResolvedStack(stack), new BackupSettings.RestoreRequest("latest", false));
    assertThat(RecordedBackups.holds(restore, List.of())).isFalse();
  }
}
