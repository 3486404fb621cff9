package io.pistack.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.BackupVerificationStatus;
import io.pistack.operator.api.v1alpha1.BackupVerificationStatus.Result;
import io.pistack.operator.model.BackupJobBuilder;
import io.pistack.operator.model.JobOutcome;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.UnrecordedJobs;
import io.pistack.operator.model.VerificationDecision;
import java.util.Collection;
import java.util.Map;

/**
 * status.backup.lastVerified and the BackupVerificationFailing condition, from the verification Job of the
 * backup being verified (see {@link VerificationDecision}) and its pod's termination message (verify.sh's JSON).
 * Pure; the one place that decides them.
 */
final class VerificationStatus {

  private VerificationStatus() {}

  /** The next lastVerified: the unrecorded outcome if there is one, else the previous value. */
  static BackupVerificationStatus next(ResolvedStack stack, BackupVerificationStatus previous, Collection<Job> jobs,
      Map<String, String> messages) {
    return UnrecordedJobs.verification(stack, jobs).map(j -> outcome(j, messages.get(j.getMetadata().getName())))
        .orElse(previous);
  }

  static BackupVerificationStatus outcome(Job job, String message) {
    JobOutcome o = JobOutcome.of(job);
    JsonNode m = BackupRestoreStatus.json(message);
    BackupVerificationStatus v = new BackupVerificationStatus();
    v.time = o.finishedAt();
    v.backupName = job.getMetadata().getAnnotations().get(BackupJobBuilder.VERIFY_BACKUP);
    v.result = o.succeeded() ? Result.Passed : Result.Failed;
    if (o.succeeded()) {
      v.message = m == null ? "restored and checked"
          : "restored " + m.path("tables").asInt() + " tables; rows " + m.path("rows").toString()
              + " in " + m.path("seconds").asInt() + "s";
    } else {
      String why = m != null && m.hasNonNull("error") ? m.get("error").asText() : o.message();
      v.message = BackupRestoreStatus.truncate("Job " + job.getMetadata().getName() + ": " + why);
    }
    return v;
  }

  /** The condition, while verification is on: True only when the last verification failed. */
  static void setCondition(Conditions conditions, BackupStatus backup) {
    BackupVerificationStatus v = backup.lastVerified;
    if (v == null) {
      conditions.set(ConditionType.BACKUP_VERIFICATION_FAILING, false, Reason.NOT_VERIFIED_YET, "no backup has been verified yet");
    } else if (v.result == Result.Failed) {
      conditions.set(ConditionType.BACKUP_VERIFICATION_FAILING, true, Reason.VERIFICATION_FAILED, "backup " + v.backupName + " failed verification: " + v.message);
    } else {
      conditions.set(ConditionType.BACKUP_VERIFICATION_FAILING, false, Reason.VERIFICATION_PASSED, "backup " + v.backupName + " verified at " + v.time);
    }
  }
}
