package io.pistack.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.api.v1alpha1.RestoreStatus.Phase;
import io.pistack.operator.model.BackupSettings;
import io.pistack.operator.model.JobOutcome;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.RestoreDecision;
import io.pistack.operator.model.UnrecordedJobs;
import io.pistack.operator.model.UpgradeDecision;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * What the backup and restore Jobs say, for the status: status.backup (last success and failure of
 * scheduled, pre-upgrade and PiBackup backups) and status.restore. The conditions they lead to (BackupFailing,
 * and Ready/Progressing/Degraded while a restore or a pre-upgrade backup holds the stack) are
 * decided by {@link StatusAggregator}, their events by {@link TransitionEvents}. Pure: the same
 * inputs give an equal result, so a converged stack is not written. Messages come from the scripts
 * and the Job controller and never contain credentials.
 */
public final class BackupRestoreStatus {
  static final int MAX_MESSAGE = 400;
  private static final ObjectMapper JSON = new ObjectMapper();

  private BackupRestoreStatus() {}

  /**
   * The lifecycle part of one reconcile's observation.
   *
   * @param backup status.backup as it should be (empty when nothing ran yet)
   * @param restore status.restore, or null without a restore
   * @param upgrade the pre-upgrade gate
   * @param backupsEnabled scheduled backups are on: the BackupFailing condition is reported
   * @param verifyEnabled backups are verified: the BackupVerificationFailing condition is reported
   * @param drain the drained upgrade's step
   * @param page whether the maintenance page shows, and why
   */
  public record Seen(BackupStatus backup, RestoreStatus restore, UpgradeDecision upgrade, boolean backupsEnabled,
      boolean verifyEnabled, io.pistack.operator.model.DrainDecision drain,
      io.pistack.operator.model.MaintenancePageDecision page) {
    public Seen(BackupStatus backup, RestoreStatus restore, UpgradeDecision upgrade, boolean backupsEnabled,
        boolean verifyEnabled) {
      this(backup, restore, upgrade, backupsEnabled, verifyEnabled, io.pistack.operator.model.DrainDecision.none());
    }

    public Seen(BackupStatus backup, RestoreStatus restore, UpgradeDecision upgrade, boolean backupsEnabled,
        boolean verifyEnabled, io.pistack.operator.model.DrainDecision drain) {
      this(backup, restore, upgrade, backupsEnabled, verifyEnabled, drain,
          io.pistack.operator.model.MaintenancePageDecision.none());
    }

    /** status.backup: null until a backup finished. */
    public BackupStatus reportedBackup() {
      return backup.equals(new BackupStatus()) ? null : backup;
    }
  }

  /**
   * status.backup and status.restore from the Jobs.
   *
   * @param messages termination messages of (some of) the Jobs, by Job name
   */
  public static Seen observe(ResolvedStack stack, LifecyclePlan plan, Collection<Job> jobs,
      Map<String, String> messages) {
    BackupSettings settings = stack.backup();
    BackupStatus backup = backupStatus(stack.source(), settings, jobs, messages);
    backup.lastVerified = VerificationStatus.next(stack, backup.lastVerified, jobs, messages);
    RestoreStatus previousRestore = stack.source().getStatus() == null ? null : stack.source().getStatus().restore;
    RestoreDecision restore = plan.restore().jobName() == null ? plan.restore()
        : plan.restore().withTerminationMessage(jobs.stream()
            .filter(j -> plan.restore().jobName().equals(j.getMetadata().getName())).findFirst().orElse(null),
            messages.get(plan.restore().jobName()), previousRestore);
    return new Seen(backup, restoreStatus(stack.source(), restore, messages), plan.upgrade(),
        settings.enabled(), settings.verifyEnabled(), plan.drain(), plan.page());
  }

  // ---- status.backup ------------------------------------------------------------------------

  private static BackupStatus backupStatus(PiStack stack, BackupSettings settings, Collection<Job> jobs,
      Map<String, String> messages) {
    BackupStatus prev = previousBackup(stack);
    BackupStatus b = copy(prev);
    // Recorded once: the default prefix never moves away from the backups already under it (S3Prefix).
    settings.s3DefaultPrefix().ifPresent(p -> b.s3DefaultPrefix = p);
    Optional<Job> ok = UnrecordedJobs.latestBackup(jobs, JobOutcome.State.SUCCEEDED);
    if (ok.isPresent() && UnrecordedJobs.newer(finishedAt(ok.get()), prev.lastSuccessfulTime)) {
      Job j = ok.get();
      b.lastSuccessfulTime = finishedAt(j);
      JsonNode m = json(messages.get(j.getMetadata().getName()));
      b.lastBackupName = text(m, "name");
      b.sizeBytes = m != null && m.path("sizeBytes").canConvertToLong() && m.has("sizeBytes")
          ? m.path("sizeBytes").asLong() : null;
      b.location = b.lastBackupName == null ? null : settings.location(b.lastBackupName);
    }
    Optional<Job> bad = UnrecordedJobs.latestBackup(jobs, JobOutcome.State.FAILED);
    if (bad.isPresent() && UnrecordedJobs.newer(finishedAt(bad.get()), prev.lastFailureTime)) {
      Job j = bad.get();
      b.lastFailureTime = finishedAt(j);
      String why = Optional.ofNullable(text(json(messages.get(j.getMetadata().getName())), "error"))
          .orElse(JobOutcome.of(j).message());
      b.lastFailureMessage = truncate("Job " + j.getMetadata().getName() + ": " + why);
    }
    return b;
  }

  // ---- status.restore -----------------------------------------------------------------------

  private static RestoreStatus restoreStatus(PiStack stack, RestoreDecision r, Map<String, String> messages) {
    if (r.phase() == null) {
      return null;
    }
    RestoreStatus prev = stack.getStatus() == null ? null : stack.getStatus().restore;
    RestoreStatus s = new RestoreStatus();
    s.phase = r.phase();
    s.backup = r.request().backup();
    s.piBackup = r.request().from().flatMap(io.pistack.operator.model.RestoreSource::piBackup).orElse(null);
    s.location = r.request().from().map(io.pistack.operator.model.RestoreSource::location).orElse(null);
    s.force = r.request().force();
    s.jobName = r.jobName();
    if (UnrecordedJobs.sameRestore(prev, r) && prev.phase != Phase.Pending) {
      s.message = prev.message;
      s.completionTime = prev.completionTime;
      return s;
    }
    JsonNode m = json(messages.get(r.jobName()));
    String detail = switch (r.phase()) {
      case Succeeded -> m == null || text(m, "name") == null ? ""
          : " (" + text(m, "name") + (m.has("tables") ? ", " + m.path("tables").asText() + " tables" : "") + ")";
      case Failed, Refused -> text(m, "error") == null ? "" : ": " + text(m, "error");
      default -> "";
    };
    s.message = truncate(r.message() + detail);
    s.completionTime = r.outcome().filter(JobOutcome::finished).map(JobOutcome::finishedAt).orElse(null);
    return s;
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static BackupStatus previousBackup(PiStack stack) {
    BackupStatus b = stack.getStatus() == null ? null : stack.getStatus().backup;
    return b == null ? new BackupStatus() : b;
  }

  private static String finishedAt(Job j) {
    return JobOutcome.of(j).finishedAt();
  }

  private static BackupStatus copy(BackupStatus p) {
    BackupStatus b = new BackupStatus();
    b.lastSuccessfulTime = p.lastSuccessfulTime;
    b.lastBackupName = p.lastBackupName;
    b.sizeBytes = p.sizeBytes;
    b.location = p.location;
    b.lastFailureTime = p.lastFailureTime;
    b.lastFailureMessage = p.lastFailureMessage;
    b.lastVerified = p.lastVerified;
    b.s3DefaultPrefix = p.s3DefaultPrefix;
    return b;
  }

  /** The script's JSON termination message as an object, or null when it is none (also read by VerificationStatus). */
  static JsonNode json(String message) {
    if (message == null || !message.startsWith("{")) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(message);
      return n != null && n.isObject() ? n : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static String text(JsonNode n, String field) {
    return n == null || !n.hasNonNull(field) ? null : n.get(field).asText();
  }

  static String truncate(String m) {
    return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m;
  }
}
