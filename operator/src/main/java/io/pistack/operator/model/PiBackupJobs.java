package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiBackup;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Jobs of one PiBackup: its backup (the scheduled backup's pod and Job spec, {@link BackupCronJobBuilder},
 * with the prefix {@value #PREFIX}) and, with spec.verify, the verification of that backup ({@link BackupJobBuilder}).
 * Both are owned by the PiBackup (deleting it deletes them, never the backup's data) and named after its uid, so a
 * restarted operator finds the Job it created instead of starting a second backup, and a PiBackup re-created with
 * the same name never takes over its predecessor's Job. Pure.
 */
public final class PiBackupJobs {
  /** The job-kind label of a PiBackup's backup Job. */
  public static final String BACKUP = "on-demand-backup";
  /** The job-kind label of a PiBackup's verification Job. */
  public static final String VERIFY = "on-demand-verification";
  /** The label every Job of a PiBackup carries: what the PiBackup controller's informer selects. */
  public static final String OWNER_KIND = "pistack.io/owner-kind";
  public static final String SELECTOR = Labels.MANAGED_SELECTOR + "," + OWNER_KIND + "=" + PiBackup.KIND;
  /** Backups of PiBackups are named on-demand-<time>; backup.sh keeps spec.backup.keep of them. */
  public static final String PREFIX = "on-demand";

  private PiBackupJobs() {}

  /** {@code <stack>-backup-<PiBackup name>-<hash of its uid>}, at most 63 characters. */
  public static String backupName(PiBackup backup) {
    return JobNames.fit(backup.getSpec().stack + "-backup", JobNames.sanitise(backup.getMetadata().getName()),
        JobNames.hash(backup.getMetadata().getUid(), 8));
  }

  /** {@code <stack>-verify-<PiBackup name>-<hash of its uid>}. */
  public static String verifyName(PiBackup backup) {
    return JobNames.fit(backup.getSpec().stack + "-verify", JobNames.sanitise(backup.getMetadata().getName()),
        JobNames.hash(backup.getMetadata().getUid() + "|verify", 8));
  }

  /** The backup Job: the scheduled backup's Job spec (same pod, retries, failure policy), another prefix. */
  public static Job backup(ResolvedStack stack, PiBackup backup) {
    Map<String, String> labels = BackupCronJobBuilder.jobLabels(stack, "backup", BACKUP);
    Job job = new Job();
    job.setMetadata(ChildMetadata.of(stack, backupName(backup), "backup"));
    job.setSpec(BackupCronJobBuilder.backupJobSpec(stack.backup(), labels, PREFIX));
    return owned(job, backup, BACKUP);
  }

  /** The verification of the backup this PiBackup made ({@code backupName}), as the stack verifies its own. */
  public static Job verify(ResolvedStack stack, PiBackup backup, String backupName) {
    Job job = BackupJobBuilder.verify(stack, backupName);
    job.getMetadata().setName(verifyName(backup));
    job.getSpec().getTemplate().getMetadata().getLabels().put(BackupCronJobBuilder.JOB_KIND, VERIFY);
    return owned(job, backup, VERIFY);
  }

  static Job owned(Job job, PiBackup backup, String kind) {
    Map<String, String> labels = new LinkedHashMap<>(job.getMetadata().getLabels());
    labels.put(BackupCronJobBuilder.JOB_KIND, kind);
    labels.put(OWNER_KIND, PiBackup.KIND);
    job.getMetadata().setLabels(labels);
    job.getMetadata().setOwnerReferences(java.util.List.of(new OwnerReferenceBuilder()
        .withApiVersion(backup.getApiVersion()).withKind(PiBackup.KIND).withName(backup.getMetadata().getName())
        .withUid(backup.getMetadata().getUid()).withController(true).build()));
    return job;
  }
}
