package io.pistack.operator.pibackup;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.model.S3PruneJobs;
import io.pistack.operator.model.S3Pruning;
import io.pistack.operator.status.Conditions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a finished PiBackup's status says when {@code spec.backup.keep} could not delete its data from the bucket:
 * its prune Job ({@link S3PruneJobs}, owned by the PiBackup) failed, and its termination message (kept on the Job
 * by the PiStack reconcile) says why ({@link S3Pruning#decide}). The condition {@value #RETAINED} (True) with the
 * reason ObjectLocked (and {@code status.lockedUntil}), LegalHold, or PruneFailed (the script's error: it never
 * prints a credential). Nothing changes while the Job runs or before its message is kept, nor once the lock has
 * expired (the PiStack reconcile then replaces the Job, whose outcome decides again); once there is no prune Job
 * (deleted to try again, or keep no longer reaches the PiBackup) the condition and the date go. Pure: an equal
 * status is not returned, so a settled PiBackup is never written.
 */
final class PruneStatus {
  static final String RETAINED = "Retained";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE = 400;

  enum Why { ObjectLocked, LegalHold, PruneFailed }

  private PruneStatus() {}

  /** The status to write, or empty when there is nothing new to say. */
  static Optional<PiBackupStatus> next(PiBackup backup, Collection<Job> jobs, Clock clock) {
    Optional<Job> job = S3PruneJobs.of(backup, jobs);
    if (backup.getStatus() == null) {
      return Optional.empty();
    }
    if (job.isEmpty()) {
      return cleared(backup.getStatus());
    }
    S3Pruning.PruneJob seen = S3PruneJobs.seen(job.get());
    if (!seen.outcome().failed() || seen.terminationMessage() == null) {
      return Optional.empty();
    }
    S3Pruning.Decision d = S3Pruning.decide(backup, Optional.of(seen), clock.instant());
    String jobName = job.get().getMetadata().getName();
    Why why;
    String message;
    switch (d.action()) {
      case LOCKED -> {
        why = d.until() == null ? Why.LegalHold : Why.ObjectLocked;
        message = "spec.backup.keep does not delete this backup: its data is under " + d.message()
            + (d.until() == null ? "; it is deleted (data and object) once the hold is removed and its prune Job "
            + jobName + " deleted" : "; it is deleted (data and object) after that");
      }
      case FAILED -> {
        why = Why.PruneFailed;
        message = truncate("spec.backup.keep could not delete this backup's data (Job " + jobName + "): "
            + d.message() + ". The PiBackup and its data stay; delete the Job to try again");
      }
      default -> {
        return Optional.empty();
      }
    }
    PiBackupStatus prev = backup.getStatus();
    PiBackupStatus s = JSON.convertValue(prev, PiBackupStatus.class);
    s.lockedUntil = why == Why.ObjectLocked ? d.until() : null;
    long generation = backup.getMetadata().getGeneration() == null ? 0 : backup.getMetadata().getGeneration();
    Condition retained = new Conditions(prev.conditions, generation, clock)
        .set(RETAINED, true, why.name(), message).build().get(0);
    List<Condition> conditions = new ArrayList<>();
    if (prev.conditions != null) {
      prev.conditions.stream().filter(c -> !RETAINED.equals(c.getType())).forEach(conditions::add);
    }
    conditions.add(retained);
    s.conditions = conditions;
    return Objects.equals(s, prev) ? Optional.empty() : Optional.of(s);
  }

  /** No prune Job (any more: deleted to try again, or keep no longer reaches it): nothing is retained by it. */
  private static Optional<PiBackupStatus> cleared(PiBackupStatus prev) {
    boolean said = prev.lockedUntil != null
        || prev.conditions != null && prev.conditions.stream().anyMatch(c -> RETAINED.equals(c.getType()));
    if (!said) {
      return Optional.empty();
    }
    PiBackupStatus s = JSON.convertValue(prev, PiBackupStatus.class);
    s.lockedUntil = null;
    s.conditions = new ArrayList<>(prev.conditions.stream().filter(c -> !RETAINED.equals(c.getType())).toList());
    return Optional.of(s);
  }

  private static String truncate(String m) {
    return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
