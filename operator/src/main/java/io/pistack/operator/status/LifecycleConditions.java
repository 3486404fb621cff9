package io.pistack.operator.status;

import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.model.DrainDecision;
import io.pistack.operator.model.JobOutcome;
import io.pistack.operator.model.UpgradeDecision;

/**
 * The conditions the lifecycle gates decide, for {@link StatusAggregator}: a pre-upgrade backup (running or
 * failed), a drained upgrade's steps and its stuck migration, a restore (running, refused, failed), and
 * BackupFailing. Each sets Ready and Progressing (and Degraded for a failed gate) over what the stack's health
 * said; the aggregator decides when each applies (its precedence). Pure.
 */
final class LifecycleConditions {
  /** The start of the PreUpgradeBackup message while the backup Job runs (its event, see TransitionEvents). */
  static final String PRE_UPGRADE_BACKUP_RUNNING = "backing up before upgrading from ";

  private LifecycleConditions() {}

  static void backupFailing(BackupStatus backup, Conditions conditions) {
    boolean failing = backup.lastFailureTime != null && (backup.lastSuccessfulTime == null
        || io.pistack.operator.model.UnrecordedJobs.newer(backup.lastFailureTime, backup.lastSuccessfulTime));
    if (failing) {
      conditions.set(ConditionType.BACKUP_FAILING, true, Reason.BACKUP_FAILED, backup.lastFailureMessage);
    } else if (backup.lastSuccessfulTime != null) {
      conditions.set(ConditionType.BACKUP_FAILING, false, Reason.BACKUP_SUCCEEDED, "last successful backup at "
          + backup.lastSuccessfulTime + (backup.lastBackupName == null ? "" : ": " + backup.lastBackupName));
    } else {
      conditions.set(ConditionType.BACKUP_FAILING, false, Reason.NO_BACKUP_YET, "no backup has completed yet");
    }
  }

  static void gateUpgrade(UpgradeDecision u, BackupStatus backup, Conditions conditions) {
    switch (u.phase()) {
      case WAITING_FOR_DATABASE, BACKING_UP -> {
        String m = u.phase() == UpgradeDecision.Phase.BACKING_UP
            ? PRE_UPGRADE_BACKUP_RUNNING + u.running() + " to " + u.target() + " (Job " + u.jobName() + ")"
            : "the upgrade from " + u.running() + " to " + u.target()
                + " waits for the database to be ready for its pre-upgrade backup";
        conditions.set(ConditionType.READY, false, Reason.PRE_UPGRADE_BACKUP, m)
            .set(ConditionType.PROGRESSING, true, Reason.PRE_UPGRADE_BACKUP, m);
      }
      case FAILED -> {
        String prefix = "Job " + u.jobName() + ": ";
        String why = backup.lastFailureMessage != null && backup.lastFailureMessage.startsWith(prefix)
            ? backup.lastFailureMessage.substring(prefix.length())
            : u.outcome().map(JobOutcome::message).orElse("failed");
        String m = BackupRestoreStatus.truncate("the pre-upgrade backup Job " + u.jobName() + " failed (" + why
            + "); the Deployments stay at " + u.running() + ". Delete the Job to retry, set spec.version back to "
            + u.running() + ", or set spec.backup.enabled: false to upgrade without a backup");
        conditions.set(ConditionType.READY, false, Reason.PRE_UPGRADE_BACKUP_FAILED, m)
            .set(ConditionType.PROGRESSING, false, Reason.PRE_UPGRADE_BACKUP_FAILED, m)
            .set(ConditionType.DEGRADED, true, Reason.PRE_UPGRADE_BACKUP_FAILED, m);
      }
      case WAITING_FOR_WINDOW -> conditions.set(ConditionType.PROGRESSING, true,
          Reason.WAITING_FOR_MAINTENANCE_WINDOW, "the upgrade from " + u.running() + " to " + u.target()
              + " waits for the next maintenance window (" + u.window() + "); the stack keeps running " + u.running());
      default -> { }
    }
  }

  static void gateDrain(DrainDecision d, Conditions conditions) {
    String m = switch (d.step()) {
      case DRAINING -> "draining the dashboard and scheduler before upgrading from " + d.from() + " to " + d.to()
          + ": no two versions use the schema at once";
      case MIGRATING -> "one dashboard of " + d.to() + " upgrades the repository schema alone; the other dashboards,"
          + " the scheduler and the other components (still at " + d.from() + ") follow when it is Ready";
      default -> null;
    };
    if (m != null) {
      Reason reason = d.step() == DrainDecision.Step.DRAINING ? Reason.UPGRADE_DRAINING : Reason.UPGRADE_MIGRATING;
      conditions.set(ConditionType.READY, false, reason, m).set(ConditionType.PROGRESSING, true, reason, m);
    }
  }

  static void stuck(DrainDecision d, Conditions conditions) {
    String m = BackupRestoreStatus.truncate("the dashboard of " + d.to() + " did not become Ready within"
        + " spec.upgrade.migrationTimeoutSeconds; the upgrade stopped before starting the others (" + d.detail()
        + "). See its logs; to go back set spec.version to " + d.from() + " and, if the schema was changed,"
        + " restore the pre-upgrade backup (docs/upgrade.md)");
    conditions.set(ConditionType.READY, false, Reason.UPGRADE_MIGRATION_STUCK, m)
        .set(ConditionType.PROGRESSING, false, Reason.UPGRADE_MIGRATION_STUCK, m)
        .set(ConditionType.DEGRADED, true, Reason.UPGRADE_MIGRATION_STUCK, m);
  }

  static void gateRestore(RestoreStatus r, Conditions conditions) {
    if (r == null) {
      return;
    }
    switch (r.phase) {
      case Pending, Running -> conditions.set(ConditionType.READY, false, Reason.RESTORING, r.message)
          .set(ConditionType.PROGRESSING, true, Reason.RESTORING, r.message);
      case Refused, Failed -> {
        Reason reason = r.phase == RestoreStatus.Phase.Refused ? Reason.RESTORE_REFUSED : Reason.RESTORE_FAILED;
        conditions.set(ConditionType.READY, false, reason, r.message)
            .set(ConditionType.PROGRESSING, false, reason, r.message)
            .set(ConditionType.DEGRADED, true, reason, r.message);
      }
      default -> { }
    }
  }
}
