package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.BackupVerificationStatus;
import java.util.Optional;

/**
 * Which backup is verified now: the last successful one (status.backup.lastBackupName), until the status records
 * that its verification passed. A failed verification keeps its Job (its logs are the evidence); deleting that Job
 * runs it again. A newer backup replaces the Job. Pure.
 */
public final class VerificationDecision {
  private VerificationDecision() {}

  /** The backup to verify, if any. */
  public static Optional<String> backupToVerify(ResolvedStack stack) {
    if (!stack.backup().verifyEnabled() || stack.source().getStatus() == null) {
      return Optional.empty();
    }
    BackupStatus b = stack.source().getStatus().backup;
    if (b == null || b.lastBackupName == null || b.lastBackupName.isBlank()) {
      return Optional.empty();
    }
    BackupVerificationStatus v = b.lastVerified;
    boolean passed = v != null && b.lastBackupName.equals(v.backupName)
        && v.result == BackupVerificationStatus.Result.Passed;
    return passed ? Optional.empty() : Optional.of(b.lastBackupName);
  }

  /** The verification Job that should exist now. */
  public static Optional<Job> desiredJob(ResolvedStack stack) {
    return backupToVerify(stack).map(name -> BackupJobBuilder.verify(stack, name));
  }
}
