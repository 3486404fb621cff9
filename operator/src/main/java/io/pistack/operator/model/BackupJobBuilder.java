package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.pistack.operator.model.BackupPodBuilder.Script;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one-shot Jobs the operator runs itself: the pre-upgrade backup and the restore. */
public final class BackupJobBuilder {
  public static final String PRE_UPGRADE = "pre-upgrade-backup";
  public static final String RESTORE = "restore";
  public static final String VERIFY = "backup-verification";
  public static final String VERIFY_BACKUP = "pistack.io/verify-backup";
  /** verify.sh: the backup failed verification. */
  public static final int EXIT_VERIFY_FAILED = 4;
  static final long VERIFY_DEADLINE_SECONDS = 3 * 3600;
  public static final String FROM_VERSION = "pistack.io/from-version";
  public static final String TO_VERSION = "pistack.io/to-version";
  public static final String RESTORE_BACKUP = "pistack.io/restore-backup";
  public static final String RESTORE_FORCE = "pistack.io/restore-force";
  /** restore.sh: the database is not empty and force is off. */
  public static final int EXIT_REFUSED = 3;
  /** backup.sh and restore.sh: bad input, backup not found, checksum mismatch. */
  public static final int EXIT_BAD_INPUT = 2;
  static final long RESTORE_DEADLINE_SECONDS = 6 * 3600;

  private BackupJobBuilder() {}

  /** A backup written with prefix pre-upgrade, before Deployments move from one version to another. */
  public static Job preUpgrade(ResolvedStack stack, String fromVersion, String toVersion) {
    BackupSettings settings = stack.backup();
    Map<String, String> labels = BackupCronJobBuilder.jobLabels(stack, "backup", PRE_UPGRADE);
    Job job = new Job();
    job.setMetadata(ChildMetadata.of(stack, JobNames.preUpgrade(stack, toVersion), "backup"));
    job.getMetadata().getLabels().put(BackupCronJobBuilder.JOB_KIND, PRE_UPGRADE);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(FROM_VERSION, fromVersion);
    annotations.put(TO_VERSION, toVersion);
    job.getMetadata().setAnnotations(annotations);
    job.setSpec(BackupCronJobBuilder.backupJobSpec(settings, labels, BackupSettings.PRE_UPGRADE_PREFIX));
    return job;
  }

  /**
   * The restore. One attempt only: after a partial restore a retry would find tables and be refused.
   * Exit codes 2 (bad input) and 3 (refused) fail the Job through the pod failure policy, so the
   * Job's Failed condition names the exit code.
   */
  public static Job restore(ResolvedStack stack, BackupSettings.RestoreRequest request) {
    BackupSettings settings = stack.backup();
    Map<String, String> labels = BackupCronJobBuilder.jobLabels(stack, "restore", RESTORE);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RESTORE_BACKUP", request.backup());
    env.put("RESTORE_FORCE", Boolean.toString(request.force()));
    var policy = new PodFailurePolicyBuilder()
        .addNewRule().withAction("FailJob")
        .withNewOnExitCodes().withContainerName(Script.RESTORE.container()).withOperator("In")
        .withValues(EXIT_REFUSED).endOnExitCodes().endRule()
        .addNewRule().withAction("FailJob")
        .withNewOnExitCodes().withContainerName(Script.RESTORE.container()).withOperator("In")
        .withValues(EXIT_BAD_INPUT).endOnExitCodes().endRule();
    if (RestorePods.s3(settings, request).isPresent()) { // backup not found in the bucket, bad input
      policy.addNewRule().withAction("FailJob")
          .withNewOnExitCodes().withContainerName(BackupPodBuilder.S3_FETCH).withOperator("In")
          .withValues(EXIT_BAD_INPUT).endOnExitCodes().endRule();
    }
    Job job = new Job();
    job.setMetadata(ChildMetadata.of(stack, JobNames.restore(stack, request), "restore"));
    job.getMetadata().getLabels().put(BackupCronJobBuilder.JOB_KIND, RESTORE);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(RESTORE_BACKUP, request.backup());
    annotations.put(RESTORE_FORCE, Boolean.toString(request.force()));
    job.getMetadata().setAnnotations(annotations);
    job.setSpec(new JobSpecBuilder()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(RESTORE_DEADLINE_SECONDS)
        .withPodFailurePolicy(policy.build())
        .withTemplate(RestorePods.template(settings, request, labels, env))
        .build());
    return job;
  }

  /**
   * The verification of one backup: verify.sh restores it into a throwaway MariaDB inside the pod (an emptyDir,
   * socket only) and checks it. One attempt: a failed verification is a finding, not a glitch to retry; delete
   * the Job to run it again.
   */
  public static Job verify(ResolvedStack stack, String backupName) {
    BackupSettings settings = stack.backup();
    Map<String, String> labels = BackupCronJobBuilder.jobLabels(stack, "backup", VERIFY);
    Job job = new Job();
    job.setMetadata(ChildMetadata.of(stack, JobNames.verify(stack, backupName), "backup"));
    job.getMetadata().getLabels().put(BackupCronJobBuilder.JOB_KIND, VERIFY);
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(VERIFY_BACKUP, backupName);
    job.getMetadata().setAnnotations(annotations);
    job.setSpec(new JobSpecBuilder()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(VERIFY_DEADLINE_SECONDS)
        .withTemplate(BackupPodBuilder.verifyTemplate(settings, labels, backupName))
        .build());
    return job;
  }
}
