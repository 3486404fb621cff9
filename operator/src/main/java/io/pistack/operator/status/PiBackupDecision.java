package io.pistack.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.BackupVerificationStatus;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase;
import io.pistack.operator.model.JobOutcome;
import java.time.Clock;
import java.util.Optional;

/**
 * The status of one PiBackup, and whether its backup or verification Job is to be created, from what is seen: the
 * stack (only asked while no Job exists), the PiBackup's Jobs and their pods' termination messages (the scripts'
 * one-line JSON). Pure: the same inputs give an equal status, so a PiBackup whose status holds is never written.
 * Conditions (kstatus reads them): Ready (True once completed, and verified when asked), Progressing (True while
 * Pending or Running or verifying), Stalled (present, True, only when it failed: waiting will not help).
 */
public final class PiBackupDecision {
  /** Condition reasons of a PiBackup. */
  public enum Why {
    JobCreated, BackupRunning, BackupCompleted, Verifying, VerificationPassed, VerificationFailed, BackupFailed,
    StackNotFound, InvalidStack, BackupsNotConfigured, JobDeleted
  }

  /** Why no backup can be taken of the stack now, when it cannot. */
  public record StackProblem(Why reason, String message) {}

  /**
   * @param status the status to write (equal to the current one when nothing changed)
   * @param createBackup create the backup Job
   * @param createVerification create the verification Job of {@code status.backupName}
   */
  public record Result(PiBackupStatus status, boolean createBackup, boolean createVerification) {}

  private PiBackupDecision() {}

  /** True when nothing more happens to this PiBackup: its Jobs need not be looked at again. */
  public static boolean done(PiBackup backup) {
    PiBackupStatus s = backup.getStatus();
    return s != null && (s.phase == Phase.Failed
        || s.phase == Phase.Completed && (!backup.getSpec().verifyWanted() || s.verification != null));
  }

  /**
   * @param stack why the stack cannot be backed up, or empty when it can; read only while no Job exists
   * @param job the backup Job (owned by this PiBackup), or null when none exists
   * @param message its pod's termination message, or null
   * @param verifyJob the verification Job, or null
   * @param verifyMessage its pod's termination message, or null
   */
  public static Result decide(PiBackup backup, Optional<StackProblem> stack, Job job, String message, Job verifyJob,
      String verifyMessage, Clock clock) {
    PiBackupStatus prev = backup.getStatus();
    if (done(backup)) {
      return new Result(prev, false, false);
    }
    PiBackupStatus s = copy(prev);
    s.observedGeneration = backup.getMetadata().getGeneration();
    boolean createBackup = false;
    boolean createVerification = false;
    if (s.phase == Phase.Completed) { // verification asked for and not recorded yet
      if (verifyJob == null && stack.isPresent()) { // the stack went away (or its backups): nothing to verify with
        s.verification = unverifiable(stack.get().message());
      } else if (verifyJob == null) {
        createVerification = true;
      } else if (JobOutcome.of(verifyJob).finished()) {
        s.verification = VerificationStatus.outcome(verifyJob, verifyMessage);
      }
    } else if (job == null) {
      if (s.jobName != null) {
        fail(s, Why.JobDeleted, "the backup Job " + s.jobName + " was deleted before its outcome was recorded;"
            + " create another PiBackup");
      } else if (stack.isPresent()) {
        fail(s, stack.get().reason(), stack.get().message());
      } else {
        createBackup = true;
        s.phase = Phase.Pending;
      }
    } else {
      observe(s, job, message, backup.getSpec().verifyWanted());
      if (s.phase == Phase.Completed && backup.getSpec().verifyWanted() && verifyJob == null && s.backupName != null) {
        if (stack.isPresent()) {
          s.verification = unverifiable(stack.get().message());
        } else {
          createVerification = true;
        }
      }
    }
    if (s.phase == Phase.Completed && backup.getSpec().verifyWanted() && s.backupName == null
        && s.verification == null) {
      s.verification = unverifiable("the backup's name is unknown (no termination message)");
    }
    s.conditions = conditions(backup, s, clock);
    return new Result(s, createBackup, createVerification);
  }

  private static void observe(PiBackupStatus s, Job job, String message, boolean verify) {
    s.jobName = job.getMetadata().getName();
    if (job.getStatus() != null && job.getStatus().getStartTime() != null) {
      s.startTime = job.getStatus().getStartTime();
    }
    JobOutcome o = JobOutcome.of(job, message);
    JsonNode m = BackupRestoreStatus.json(message);
    switch (o.state()) {
      case ACTIVE -> s.phase = job.getStatus() != null && job.getStatus().getActive() != null
          && job.getStatus().getActive() > 0 && job.getStatus().getReady() != null && job.getStatus().getReady() > 0
          ? Phase.Running : Phase.Pending;
      case SUCCEEDED -> {
        s.phase = Phase.Completed;
        s.completionTime = o.finishedAt();
        s.backupName = text(m, "name");
        s.location = text(m, "location");
        s.versionId = text(m, "versionId");
        s.manifestSha256 = text(m, "manifestSha256");
        s.sizeBytes = m != null && m.path("sizeBytes").canConvertToLong() ? m.path("sizeBytes").asLong() : null;
        s.message = m == null ? "the backup Job completed, but its termination message could not be read:"
            + " the backup's name and location are unknown" : null;
      }
      case FAILED -> {
        s.completionTime = o.finishedAt();
        String why = Optional.ofNullable(text(m, "error")).orElse(o.message());
        fail(s, Why.BackupFailed, BackupRestoreStatus.truncate("Job " + job.getMetadata().getName() + ": " + why));
      }
      default -> { }
    }
  }

  private static java.util.List<io.fabric8.kubernetes.api.model.Condition> conditions(PiBackup backup,
      PiBackupStatus s, Clock clock) {
    long generation = backup.getMetadata().getGeneration() == null ? 0 : backup.getMetadata().getGeneration();
    Conditions c = new Conditions(backup.getStatus() == null ? null : backup.getStatus().conditions, generation, clock);
    boolean verify = backup.getSpec().verifyWanted();
    BackupVerificationStatus v = s.verification;
    if (s.phase == Phase.Failed) {
      Why why = s.reason == null ? Why.BackupFailed : Why.valueOf(s.reason);
      return stalled(c, why, s.message);
    }
    if (s.phase == Phase.Completed && verify && v != null && v.result == BackupVerificationStatus.Result.Failed) {
      return stalled(c, Why.VerificationFailed, "backup " + s.backupName + " failed verification: " + v.message);
    }
    if (s.phase == Phase.Completed && (!verify || v != null)) {
      String where = s.location == null ? "location unknown" : s.location;
      Why why = verify ? Why.VerificationPassed : Why.BackupCompleted;
      c.set("Ready", true, why.name(), "backup " + s.backupName + " completed (" + where + ")");
      c.set("Progressing", false, why.name(), "");
      return c.build();
    }
    Why why = s.phase == Phase.Completed ? Why.Verifying : s.phase == Phase.Running ? Why.BackupRunning : Why.JobCreated;
    String msg = switch (why) {
      case Verifying -> "backup " + s.backupName + " completed; verifying it";
      case BackupRunning -> "the backup Job " + s.jobName + " is running";
      default -> "waiting for the backup Job's pod to start";
    };
    c.set("Ready", false, why.name(), msg);
    c.set("Progressing", true, why.name(), msg);
    return c.build();
  }

  private static java.util.List<io.fabric8.kubernetes.api.model.Condition> stalled(Conditions c, Why why, String msg) {
    c.set("Ready", false, why.name(), msg);
    c.set("Progressing", false, why.name(), msg);
    c.set("Stalled", true, why.name(), msg);
    return c.build();
  }

  private static void fail(PiBackupStatus s, Why why, String message) {
    s.phase = Phase.Failed;
    s.message = message;
    s.reason = why.name();
  }

  private static BackupVerificationStatus unverifiable(String why) {
    BackupVerificationStatus v = new BackupVerificationStatus();
    v.result = BackupVerificationStatus.Result.Failed;
    v.message = "cannot be verified: " + why;
    return v;
  }

  private static String text(JsonNode n, String field) {
    return n == null || !n.hasNonNull(field) ? null : n.get(field).asText();
  }

  private static PiBackupStatus copy(PiBackupStatus p) {
    PiBackupStatus s = new PiBackupStatus();
    if (p == null) {
      return s;
    }
    s.phase = p.phase;
    s.jobName = p.jobName;
    s.startTime = p.startTime;
    s.completionTime = p.completionTime;
    s.backupName = p.backupName;
    s.location = p.location;
    s.versionId = p.versionId;
    s.sizeBytes = p.sizeBytes;
    s.manifestSha256 = p.manifestSha256;
    s.verification = p.verification;
    s.reason = p.reason;
    s.message = p.message;
    return s;
  }
}
