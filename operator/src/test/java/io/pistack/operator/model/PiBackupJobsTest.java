package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupSpec;
import org.junit.jupiter.api.Test;

/** A PiBackup's Jobs: the scheduled backup's pod with another prefix, owned by the PiBackup, named after its uid. */
class PiBackupJobsTest {
  static PiBackup backup(String name, String uid, String stack, boolean verify) {
    PiBackup b = new PiBackup();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace("ns");
    b.getMetadata().setUid(uid);
    b.getMetadata().setGeneration(1L);
    b.setSpec(new PiBackupSpec());
    b.getSpec().stack = stack;
    b.getSpec().verify = verify;
    return b;
  }

  @Test
  void theBackupJobIsTheScheduledBackupsJobWithTheOnDemandPrefixOwnedByThePiBackup() {
    ResolvedStack stack = TestStacks.resolved(BackupS3BuildersTest.S3);
    PiBackup b = backup("before-migration", "uid-1", "pi", false);
    Job job = PiBackupJobs.backup(stack, b);
    CronJob cron = BackupCronJobBuilder.build(stack);

    // The same pod as the scheduled backup (containers, volumes, security, failure policy), only the prefix differs.
    var scheduled = cron.getSpec().getJobTemplate().getSpec();
    assertThat(job.getSpec().getPodFailurePolicy()).isEqualTo(scheduled.getPodFailurePolicy());
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(scheduled.getBackoffLimit());
    assertThat(job.getSpec().getTemplate().getSpec().getInitContainers().get(0).getEnv())
        .contains(new EnvVar("BACKUP_PREFIX", "on-demand", null));
    assertThat(scheduled.getTemplate().getSpec().getInitContainers().get(0).getEnv())
        .contains(new EnvVar("BACKUP_PREFIX", "scheduled", null));
    assertThat(job.getSpec().getTemplate().getSpec().getContainers())
        .isEqualTo(scheduled.getTemplate().getSpec().getContainers());

    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getKind()).isEqualTo("PiBackup");
      assertThat(r.getApiVersion()).isEqualTo("pistack.io/v1alpha1");
      assertThat(r.getUid()).isEqualTo("uid-1");
      assertThat(r.getController()).isTrue();
    });
    assertThat(job.getMetadata().getLabels())
        .containsEntry("pistack.io/job-kind", "on-demand-backup")
        .containsEntry("pistack.io/owner-kind", "PiBackup")
        .containsEntry("app.kubernetes.io/managed-by", "pi-operator")
        .containsEntry("app.kubernetes.io/instance", "pi");
    assertThat(job.getMetadata().getNamespace()).isEqualTo("ns");
  }

  @Test
  void theNameIsDeterministicPerObjectAndDiffersForARecreatedOneOfTheSameName() {
    PiBackup b = backup("before-migration", "uid-1", "pi", false);
    assertThat(PiBackupJobs.backupName(b)).isEqualTo(PiBackupJobs.backupName(backup("before-migration", "uid-1",
        "pi", false))).startsWith("pi-backup-before-migration-");
    assertThat(PiBackupJobs.backupName(backup("before-migration", "uid-2", "pi", false)))
        .isNotEqualTo(PiBackupJobs.backupName(b));
    assertThat(PiBackupJobs.verifyName(b)).startsWith("pi-verify-before-migration-")
        .isNotEqualTo(PiBackupJobs.backupName(b));
    String longName = "x".repeat(200);
    assertThat(PiBackupJobs.backupName(backup(longName, "uid-1", "a".repeat(45), false))).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void theVerificationJobVerifiesThatBackupAsTheStackVerifiesItsOwn() {
    ResolvedStack stack = TestStacks.resolved(BackupBuildersTest.BACKUPS_ON);
    PiBackup b = backup("nightly", "uid-1", "pi", true);
    Job verify = PiBackupJobs.verify(stack, b, "on-demand-20261207T010000Z");
    Job stacks = BackupJobBuilder.verify(stack, "on-demand-20261207T010000Z");
    assertThat(verify.getSpec().getTemplate().getSpec()).isEqualTo(stacks.getSpec().getTemplate().getSpec());
    assertThat(verify.getMetadata().getName()).isEqualTo(PiBackupJobs.verifyName(b));
    assertThat(verify.getMetadata().getLabels()).containsEntry("pistack.io/job-kind", "on-demand-verification");
    assertThat(verify.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(r -> assertThat(r.getUid()).isEqualTo("uid-1"));
  }
}
