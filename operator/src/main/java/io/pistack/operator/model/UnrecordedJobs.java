package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.BackupVerificationStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The finished backup, verification and restore Jobs whose outcome the stack's status does not hold yet: the plan
 * keeps them until it does ({@link LifecyclePlan#unrecorded}), and the observe stage reads their pods' termination
 * messages, for these only. Pure: read from the Jobs and status.backup / status.restore as they are.
 */
public final class UnrecordedJobs {
  /** The Jobs whose outcome is status.backup's last success or failure. */
  static final Set<String> BACKUP_KINDS = Set.of(BackupCronJobBuilder.SCHEDULED, BackupJobBuilder.PRE_UPGRADE,
      PiBackupJobs.BACKUP);

  private UnrecordedJobs() {}

  /** Finished Jobs whose outcome the status does not hold yet, given the plan's restore decision. */
  public static List<Job> of(ResolvedStack resolved, LifecyclePlan plan, Collection<Job> jobs) {
    PiStack stack = resolved.source();
    BackupStatus prev = stack.getStatus() == null || stack.getStatus().backup == null ? new BackupStatus()
        : stack.getStatus().backup;
    List<Job> out = new ArrayList<>();
    latestBackup(jobs, JobOutcome.State.SUCCEEDED).filter(j -> newer(finishedAt(j), prev.lastSuccessfulTime))
        .ifPresent(out::add);
    latestBackup(jobs, JobOutcome.State.FAILED).filter(j -> newer(finishedAt(j), prev.lastFailureTime))
        .ifPresent(out::add);
    verification(resolved, jobs).ifPresent(out::add);
    RestoreDecision r = plan.restore();
    RestoreStatus prevRestore = stack.getStatus() == null ? null : stack.getStatus().restore;
    if (r.outcome().map(JobOutcome::finished).orElse(false) && !sameRestore(prevRestore, r)) {
      jobs.stream().filter(j -> r.jobName().equals(j.getMetadata().getName())).findFirst()
          .ifPresent(out::add);
    }
    return out;
  }

  /** The finished verification Job whose outcome status.backup.lastVerified does not hold yet. */
  public static Optional<Job> verification(ResolvedStack resolved, Collection<Job> jobs) {
    PiStack stack = resolved.source();
    Optional<String> backup = VerificationDecision.backupToVerify(resolved);
    if (backup.isEmpty()) {
      return Optional.empty();
    }
    BackupVerificationStatus prev = stack.getStatus() == null || stack.getStatus().backup == null ? null
        : stack.getStatus().backup.lastVerified;
    return jobs.stream().filter(j -> isVerificationOf(j, backup.get()))
        .filter(j -> JobOutcome.of(j).finished() && JobOutcome.of(j).finishedAt() != null)
        .filter(j -> prev == null || !backup.get().equals(prev.backupName)
            || !JobOutcome.of(j).finishedAt().equals(prev.time))
        .findFirst();
  }

  /** status.restore already records this restore decision's phase for its Job. */
  public static boolean sameRestore(RestoreStatus prev, RestoreDecision r) {
    return prev != null && prev.phase == r.phase() && Objects.equals(prev.jobName, r.jobName());
  }

  /** The newest backup Job (scheduled, pre-upgrade or a PiBackup's) that finished in the given state. */
  public static Optional<Job> latestBackup(Collection<Job> jobs, JobOutcome.State state) {
    return jobs.stream()
        .filter(j -> j.getMetadata().getLabels() != null
            && BACKUP_KINDS.contains(j.getMetadata().getLabels().get(BackupCronJobBuilder.JOB_KIND)))
        .filter(j -> JobOutcome.of(j).state() == state && finishedAt(j) != null)
        .max(Comparator.comparing((Job j) -> instant(finishedAt(j))).thenComparing(j -> j.getMetadata().getName()));
  }

  /** True when {@code a} is later than {@code b}, or {@code b} is unknown. */
  public static boolean newer(String a, String b) {
    if (a == null) {
      return false;
    }
    return b == null || instant(a).isAfter(instant(b));
  }

  private static String finishedAt(Job j) {
    return JobOutcome.of(j).finishedAt();
  }

  private static Instant instant(String t) {
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException | NullPointerException e) {
      return Instant.EPOCH;
    }
  }

  private static boolean isVerificationOf(Job j, String backup) {
    Map<String, String> labels = j.getMetadata().getLabels();
    Map<String, String> annotations = j.getMetadata().getAnnotations();
    return labels != null && BackupJobBuilder.VERIFY.equals(labels.get(BackupCronJobBuilder.JOB_KIND))
        && annotations != null && backup.equals(annotations.get(BackupJobBuilder.VERIFY_BACKUP));
  }
}
