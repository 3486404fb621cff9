package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.pistack.operator.api.v1alpha1.PiBackup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The prune Job of one PiBackup beyond {@code spec.backup.keep} on an S3 target ({@link S3Pruning}): {@code s3.sh
 * delete <backup name>} in the stack's AWS CLI container ({@link BackupPodBuilder}: same image, resources, bucket
 * settings and credentials as the upload), owned by the PiBackup (deleting the PiBackup deletes the Job) and named
 * after its uid, so a restarted operator finds it instead of making a second one. The pod touches no volume of the
 * stack and no database: it runs as MariaDB's user with no capability ("restricted"), like the verification pod
 * that fetches from S3. Exit code 3 (a version is still under Object Lock) and 2 (bad input) fail the Job at once;
 * an S3 error is retried twice. Pure.
 */
public final class S3PruneJobs {
  /** The job-kind label of a prune Job. */
  public static final String KIND = "backup-prune";
  /** The s3.sh command, also the name of its container. */
  public static final String DELETE = "delete";
  /**
   * Set on a failed prune Job once its pod's termination message (the script's one-line JSON: the error, the exit
   * code and, when refused, the Object Lock mode and retain-until date; never a credential) has been read, so it
   * is read once, not on every reconcile.
   */
  public static final String RESULT = "pistack.io/prune-result";
  static final int BACKOFF_LIMIT = 2;
  static final long DEADLINE_SECONDS = 3600;

  private S3PruneJobs() {}

  /** {@code <stack>-prune-<PiBackup name>-<hash of its uid>}, at most 63 characters. */
  public static String name(PiBackup backup) {
    return JobNames.fit(backup.getSpec().stack + "-prune", JobNames.sanitise(backup.getMetadata().getName()),
        JobNames.hash(backup.getMetadata().getUid() + "|prune", 8));
  }

  /** The Job deleting {@code backup}'s data ({@code status.backupName}) from the stack's bucket. */
  public static Job build(ResolvedStack stack, PiBackup backup) {
    BackupSettings settings = stack.backup();
    S3Target s3 = settings.s3().orElseThrow(() -> new IllegalArgumentException("no S3 target"));
    Map<String, String> labels = BackupCronJobBuilder.jobLabels(stack, "backup", KIND);
    Container delete = BackupPodBuilder.s3Container(settings, s3, DELETE, Map.of(), false);
    List<String> command = new ArrayList<>(delete.getCommand());
    command.add(backup.getStatus().backupName);
    delete.setCommand(command);
    var template = BackupPodBuilder.jobPod(stack, labels, Optional.of(s3),
            PodSecurity.defaultPod(PodSecurity.MARIADB_USER))
        .withContainers(delete)
        .withVolumes(
            new VolumeBuilder().withName(BackupPodBuilder.BACKUPS_VOLUME).withNewEmptyDir().endEmptyDir().build(),
            new VolumeBuilder().withName(BackupPodBuilder.TMP_VOLUME).withNewEmptyDir().endEmptyDir().build())
        .endSpec()
        .build();
    var policy = new PodFailurePolicyBuilder()
        .addNewRule().withAction("FailJob")
        .withNewOnExitCodes().withContainerName(DELETE).withOperator("In")
        .withValues(BackupJobBuilder.EXIT_BAD_INPUT, S3Pruning.LOCKED_EXIT).endOnExitCodes().endRule()
        .addNewRule().withAction("Ignore")
        .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition().endRule()
        .build();
    Job job = new Job();
    job.setMetadata(ChildMetadata.of(stack, name(backup), "backup"));
    job.setSpec(new JobSpecBuilder()
        .withBackoffLimit(BACKOFF_LIMIT)
        .withActiveDeadlineSeconds(DEADLINE_SECONDS)
        .withPodFailurePolicy(policy)
        .withTemplate(template)
        .build());
    return PiBackupJobs.owned(job, backup, KIND);
  }

  /** The prune Job of {@code backup} among {@code jobs}: its name, its kind, and owned by that PiBackup (uid). */
  public static Optional<Job> of(PiBackup backup, java.util.Collection<Job> jobs) {
    String name = name(backup);
    return jobs.stream().filter(j -> name.equals(j.getMetadata().getName()) && j.getMetadata().getLabels() != null
        && KIND.equals(j.getMetadata().getLabels().get(BackupCronJobBuilder.JOB_KIND))
        && Ownership.ownedBy(j, backup.getMetadata().getUid())).findFirst();
  }

  /** What the decision reads of a prune Job: its outcome and the recorded termination message (or null). */
  public static S3Pruning.PruneJob seen(Job job) {
    Map<String, String> a = job.getMetadata().getAnnotations();
    return new S3Pruning.PruneJob(JobOutcome.of(job), a == null ? null : a.get(RESULT));
  }
}
