package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The prune Job of a PiBackup beyond keep on S3: s3.sh delete of that backup's name only, the bucket's settings and
 * the access key by reference, and nothing else: no database, no volume of the stack, no API token, no root, no
 * capability, no Object Lock settings (it never uploads). Owned by the PiBackup, named after its uid.
 */
class S3PruneJobsTest {
  static final String DATA = "scheduled-20261207T010000Z";

  static PiBackup uploaded(String name, String uid) {
    PiBackup b = PiBackupJobsTest.backup(name, uid, "pi", false);
    b.setStatus(new PiBackupStatus());
    b.getStatus().phase = PiBackupStatus.Phase.Completed;
    b.getStatus().backupName = DATA;
    return b;
  }

  @Test
  void itDeletesThatOneBackupWithTheStacksBucketSettingsAndNothingMore() {
    ResolvedStack stack = TestStacks.resolved(BackupS3BuildersTest.S3);
    Job job = S3PruneJobs.build(stack, uploaded("pi-backup-29413200", "uid-1"));
    PodSpec pod = job.getSpec().getTemplate().getSpec();

    assertThat(pod.getInitContainers()).isNullOrEmpty();
    assertThat(pod.getContainers()).hasSize(1);
    Container delete = pod.getContainers().get(0);
    assertThat(delete.getName()).isEqualTo("delete");
    assertThat(delete.getImage()).isEqualTo(stack.backup().s3().orElseThrow().image());
    List<String> cmd = delete.getCommand();
    assertThat(cmd.subList(0, 2)).containsExactly("bash", "-c");
    assertThat(cmd.get(2)).contains("s3.sh delete NAME"); // the script's own text
    assertThat(cmd.subList(cmd.size() - 2, cmd.size())).containsExactly("delete", DATA);
    assertThat(delete.getEnv()).extracting(EnvVar::getName)
        .contains("S3_BUCKET", "S3_PREFIX", "S3_REGION", "S3_ENDPOINT", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
        .doesNotContain("S3_LOCK_MODE", "S3_LOCK_DAYS", "DB_HOST", "DB_PASSWORD", "MARIADB_PASSWORD");
    assertThat(delete.getEnv()).contains(new EnvVar("S3_BUCKET", "pi-backups", null));
    // The access key only as references to the Secret: its value is never in the Job.
    assertThat(delete.getEnv()).filteredOn(e -> e.getName().startsWith("AWS_")).allSatisfy(e -> {
      assertThat(e.getValue()).isNull();
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-s3");
    });
    assertThat(delete.getTerminationMessagePolicy()).isEqualTo("File");

    // Least privilege: no API token, not root, no capability, read-only root, only its own scratch space.
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(PodSecurity.MARIADB_USER);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(delete.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(delete.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(delete.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(delete.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(pod.getVolumes()).allSatisfy(v -> {
      assertThat(v.getEmptyDir()).as(v.getName()).isNotNull();
      assertThat(v.getPersistentVolumeClaim()).isNull();
      assertThat(v.getSecret()).isNull();
    });
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");

    // Refused (Object Lock, exit 3) or bad input (exit 2): failed at once, not retried; an S3 error twice more.
    var rule = job.getSpec().getPodFailurePolicy().getRules().get(0);
    assertThat(rule.getAction()).isEqualTo("FailJob");
    assertThat(rule.getOnExitCodes().getContainerName()).isEqualTo("delete");
    assertThat(rule.getOnExitCodes().getValues()).containsExactlyInAnyOrder(2, 3);
    assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
    assertThat(job.getSpec().getActiveDeadlineSeconds()).isPositive();
  }

  @Test
  void itIsOwnedByThePiBackupNamedAfterItsUidAndFoundOnlyThere() {
    ResolvedStack stack = TestStacks.resolved(BackupS3BuildersTest.S3);
    PiBackup b = uploaded("pi-backup-29413200", "uid-1");
    Job job = S3PruneJobs.build(stack, b);

    assertThat(job.getMetadata().getName()).isEqualTo(S3PruneJobs.name(b)).startsWith("pi-prune-pi-backup-29413200-")
        .hasSizeLessThanOrEqualTo(63);
    assertThat(job.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
      assertThat(o.getKind()).isEqualTo("PiBackup");
      assertThat(o.getUid()).isEqualTo("uid-1");
    });
    assertThat(job.getMetadata().getLabels()).containsEntry(BackupCronJobBuilder.JOB_KIND, S3PruneJobs.KIND)
        .containsEntry(PiBackupJobs.OWNER_KIND, "PiBackup");
    // The PiBackup controller's informer sees it (its selector is the owner kind).
    assertThat(PiBackupJobs.SELECTOR).contains(PiBackupJobs.OWNER_KIND + "=PiBackup");

    assertThat(S3PruneJobs.of(b, List.of(job))).contains(job);
    // A PiBackup made again under the same name (another uid) does not take over the old one's Job.
    PiBackup again = uploaded("pi-backup-29413200", "uid-2");
    assertThat(S3PruneJobs.name(again)).isNotEqualTo(job.getMetadata().getName());
    assertThat(S3PruneJobs.of(again, List.of(job))).isEmpty();
    // Nor does a Job of another kind that someone named like it.
    Job backupJob = PiBackupJobs.backup(stack, b);
    backupJob.getMetadata().setName(job.getMetadata().getName());
    assertThat(S3PruneJobs.of(b, List.of(backupJob))).isEmpty();
  }
}
