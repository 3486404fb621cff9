package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupSpec;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The backups the stack makes itself, recorded as PiBackups: every run of the backup CronJob (scheduled, or made
 * with {@code kubectl create job --from=cronjob/<stack>-backup}) and every pre-upgrade backup Job gets exactly one
 * PiBackup, named after the Job and its uid ({@link #name}), so a restarted or killed operator finds the one it made
 * (a create that meets the name is not repeated) and a Job re-created under the same name gets its own. The
 * PiBackup does not run the backup: it names the Job ({@value #JOB} and {@value #JOB_UID}) and the PiBackup
 * controller fills its status from that Job's outcome, as for an on-demand PiBackup. Once its PiBackup exists the
 * Job is annotated {@value #RECORDED}: a PiBackup deleted later (by {@code keep}, or by a user) is never made again
 * for a Job still in the CronJob's history. Pure.
 */
public final class RecordedBackups {
  /** Label of a PiBackup the operator made: what made the backup ({@value #SCHEDULED}, {@value #PRE_UPGRADE}). */
  public static final String ORIGIN = "pistack.io/backup-origin";
  public static final String SCHEDULED = "scheduled";
  public static final String PRE_UPGRADE = "pre-upgrade";
  /** Annotations of a recorded PiBackup: the Job that ran its backup, and that Job's uid. */
  public static final String JOB = "pistack.io/backup-job";
  public static final String JOB_UID = "pistack.io/backup-job-uid";
  /** Annotation of a Job whose PiBackup was made: that PiBackup's name. */
  public static final String RECORDED = "pistack.io/pibackup";

  private static final Map<String, String> ORIGIN_OF_KIND =
      Map.of(BackupCronJobBuilder.SCHEDULED, SCHEDULED, BackupJobBuilder.PRE_UPGRADE, PRE_UPGRADE);

  /** What to do for one stack: PiBackups to create, and Jobs to annotate as recorded (by name, with the PiBackup). */
  public record Plan(List<PiBackup> create, Map<String, String> annotate) {
    public boolean nothing() {
      return create.isEmpty() && annotate.isEmpty();
    }
  }

  /** The Job a recorded PiBackup names. */
  public record JobRef(String name, String uid) {}

  private RecordedBackups() {}

  /** A backup Job of the stack's own: a CronJob run or a pre-upgrade backup. */
  public static boolean recordable(Job job) {
    return origin(job).isPresent();
  }

  static Optional<String> origin(Job job) {
    Map<String, String> labels = job.getMetadata().getLabels();
    return labels == null ? Optional.empty()
        : Optional.ofNullable(ORIGIN_OF_KIND.get(labels.get(BackupCronJobBuilder.JOB_KIND)));
  }

  /** {@code <Job name>-<hash of the Job's uid>}: one name per Job, whatever restarts or kills happen. */
  public static String name(Job job) {
    return job.getMetadata().getName() + "-" + JobNames.hash(String.valueOf(job.getMetadata().getUid()), 6);
  }

  /**
   * @param jobs the stack's Jobs (matched by owner uid: StackJobs)
   * @param existing the names of the PiBackups in the stack's namespace (the cache)
   */
  public static Plan plan(PiStack stack, Collection<Job> jobs, Set<String> existing) {
    List<PiBackup> create = new ArrayList<>();
    Map<String, String> annotate = new LinkedHashMap<>();
    for (Job job : jobs) {
      Map<String, String> a = job.getMetadata().getAnnotations();
      if (!recordable(job) || a != null && a.containsKey(RECORDED)) {
        continue;
      }
      String name = name(job);
      if (!existing.contains(name)) {
        create.add(record(stack, job));
      }
      annotate.put(job.getMetadata().getName(), name);
    }
    return new Plan(create, annotate);
  }

  /** The PiBackup of one Job: the stack's labels and the origin; no owner (a backup outlives its stack). */
  public static PiBackup record(PiStack stack, Job job) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.MANAGED_BY, Labels.OPERATOR);
    labels.put(Labels.INSTANCE, stack.getMetadata().getName());
    labels.put(Labels.PART_OF, "panintelligence");
    labels.put(ORIGIN, origin(job).orElseThrow());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(JOB, job.getMetadata().getName());
    annotations.put(JOB_UID, job.getMetadata().getUid());
    Map<String, String> jobAnnotations = job.getMetadata().getAnnotations();
    if (jobAnnotations != null) { // a pre-upgrade backup says between which versions
      for (String k : List.of(BackupJobBuilder.FROM_VERSION, BackupJobBuilder.TO_VERSION)) {
        if (jobAnnotations.containsKey(k)) {
          annotations.put(k, jobAnnotations.get(k));
        }
      }
    }
    PiBackup b = new PiBackup();
    b.setMetadata(new ObjectMetaBuilder().withName(name(job)).withNamespace(job.getMetadata().getNamespace())
        .withLabels(labels).withAnnotations(annotations).build());
    b.setSpec(new PiBackupSpec());
    b.getSpec().stack = stack.getMetadata().getName();
    return b;
  }

  /** The Job a PiBackup records, when the operator made it for one. */
  public static Optional<JobRef> jobOf(PiBackup backup) {
    Map<String, String> a = backup.getMetadata().getAnnotations();
    return a == null || a.get(JOB) == null || a.get(JOB_UID) == null ? Optional.empty()
        : Optional.of(new JobRef(a.get(JOB), a.get(JOB_UID)));
  }

  /** {@code job} is the one {@code backup} records: its name and uid, a backup Job of the PiBackup's stack. */
  public static boolean matches(PiBackup backup, Job job) {
    Optional<JobRef> ref = jobOf(backup);
    Map<String, String> labels = job.getMetadata().getLabels();
    return ref.isPresent() && recordable(job) && ref.get().name().equals(job.getMetadata().getName())
        && ref.get().uid().equals(job.getMetadata().getUid())
        && backup.getSpec().stack.equals(labels.get(Labels.INSTANCE));
  }

  /**
   * A backup Job of the stack's own stays until its PiBackup has read its outcome: not yet recorded, or its
   * PiBackup (when it still exists) not yet Completed or Failed. The operator deletes a pre-upgrade Job once the
   * upgrade is done; without this a slow PiBackup controller would find it gone (JobDeleted).
   */
  public static boolean holds(Job job, Collection<PiBackup> backups) {
    if (!recordable(job)) {
      return false;
    }
    Map<String, String> a = job.getMetadata().getAnnotations();
    String name = a == null ? null : a.get(RECORDED);
    if (name == null) {
      return true;
    }
    return backups.stream().anyMatch(b -> name.equals(b.getMetadata().getName())
        && job.getMetadata().getNamespace().equals(b.getMetadata().getNamespace())
        && (b.getStatus() == null || b.getStatus().phase != PiBackupStatus.Phase.Completed
        && b.getStatus().phase != PiBackupStatus.Phase.Failed));
  }

  /** The origin of a PiBackup the operator made, or empty for the user's. */
  public static Optional<String> origin(PiBackup backup) {
    Map<String, String> labels = backup.getMetadata().getLabels();
    return labels == null || !Labels.OPERATOR.equals(labels.get(Labels.MANAGED_BY)) || jobOf(backup).isEmpty()
        ? Optional.empty() : Optional.ofNullable(labels.get(ORIGIN));
  }
}
