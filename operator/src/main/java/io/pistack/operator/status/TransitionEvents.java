package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.BackupVerificationStatus;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The Kubernetes Events a status transition deserves, with typed reasons. Pure: it compares the
 * status before and after a reconcile, so a stack that stays in the same state produces none
 * (and {@link StackEvents} drops repeats on top).
 *
 * <ul>
 *   <li>Created (Normal): the first status of a new PiStack.
 *   <li>Upgrading (Normal): a component's image changed (a new spec.version, or an image override).
 *   <li>Degraded (Warning): Degraded turned True, or its reason or message changed; input problems
 *       keep their own reason: InvalidSpec, RefusedByPolicy, SecretNotFound, NameTaken, CredentialsMissing, RootUserRefused, ReconcileFailed, and so
 *       do a held upgrade or restore: PreUpgradeBackupFailed, RestoreRefused, RestoreFailed.
 *   <li>Recovered (Normal): Degraded turned False.
 *   <li>Ready (Normal): Ready turned True.
 *   <li>Paused / Resumed (Normal): spec.paused took effect or was lifted.
 *   <li>BackupFailed (Warning): status.backup records a newer failed backup run.
 *   <li>BackupVerificationFailed (Warning): status.backup.lastVerified records a new failed verification.
 *   <li>Restoring / RestoreSucceeded (Normal): status.restore turned Running or Succeeded.
 *   <li>PreUpgradeBackup (Normal): Progressing turned PreUpgradeBackup with its backup Job running.
 *   <li>UpgradeDraining, UpgradeMigrating, UpgradeMigrated (Normal): the steps of a drained upgrade;
 *       UpgradeMigrationStuck (Warning) is its Degraded.
 * </ul>
 */
public final class TransitionEvents {
  public static final Set<String> INPUT_PROBLEMS = Set.of(StatusAggregator.INVALID_SPEC,
      StatusAggregator.REFUSED_BY_POLICY,
      StatusAggregator.SECRET_NOT_FOUND, StatusAggregator.NAME_TAKEN, DatabaseVerdict.CREDENTIALS_MISSING, DatabaseVerdict.ROOT_REFUSED,
      DatabaseVerdict.USER_NAME_REFUSED, StatusAggregator.RECONCILE_FAILED);

  private TransitionEvents() {}

  /** One event to record. */
  public record Note(boolean warning, String reason, String message) {}

  public static List<Note> between(PiStackStatus before, PiStackStatus after, String version) {
    List<Note> notes = new ArrayList<>();
    Condition readyBefore = find(before, Conditions.READY);
    Condition readyAfter = find(after, Conditions.READY);
    boolean invalid = readyAfter != null && (StatusAggregator.INVALID_SPEC.equals(readyAfter.getReason())
        || StatusAggregator.REFUSED_BY_POLICY.equals(readyAfter.getReason()));
    if (before == null && !invalid) {
      notes.add(new Note(false, "Created", "creating the Pi stack, version " + version));
    }
    String upgrade = imageChanges(before, after);
    if (!upgrade.isEmpty()) {
      notes.add(new Note(false, "Upgrading", "rolling out version " + version + ": " + upgrade));
    }

    Condition degradedBefore = find(before, Conditions.DEGRADED);
    Condition degradedAfter = find(after, Conditions.DEGRADED);
    if (isTrue(degradedAfter) && !(isTrue(degradedBefore) && same(degradedBefore, degradedAfter))) {
      String reason = degradedAfter.getReason();
      boolean ownReason = INPUT_PROBLEMS.contains(reason) || BackupRestoreStatus.GATE_FAILURES.contains(reason);
      notes.add(ownReason ? new Note(true, reason, degradedAfter.getMessage())
          : new Note(true, "Degraded", reason + ": " + degradedAfter.getMessage()));
    } else if (isTrue(degradedBefore) && degradedAfter != null && !isTrue(degradedAfter)) {
      notes.add(new Note(false, "Recovered", "no longer degraded (was " + degradedBefore.getReason() + ")"));
    }

    boolean pausedBefore = readyBefore != null && StatusAggregator.PAUSED.equals(readyBefore.getReason());
    boolean pausedAfter = readyAfter != null && StatusAggregator.PAUSED.equals(readyAfter.getReason());
    if (pausedAfter && !pausedBefore) {
      notes.add(new Note(false, "Paused", "spec.paused is true: the operator stops changing the stack's objects"));
    } else if (pausedBefore && readyAfter != null && !pausedAfter) {
      notes.add(new Note(false, "Resumed", "spec.paused was lifted: reconciling the stack again"));
    }
    if (isTrue(readyAfter) && !isTrue(readyBefore)) {
      notes.add(new Note(false, "Ready", readyAfter.getMessage()));
    }
    notes.addAll(lifecycle(before, after));
    return notes;
  }

  /** Backup, restore and pre-upgrade backup transitions. Refused and failed restores are Degraded above. */
  static List<Note> lifecycle(PiStackStatus before, PiStackStatus after) {
    List<Note> notes = new ArrayList<>();
    BackupStatus backupBefore = before == null ? null : before.backup;
    BackupStatus backupAfter = after == null ? null : after.backup;
    if (backupAfter != null && backupAfter.lastFailureTime != null
        && !Objects.equals(backupAfter.lastFailureTime, backupBefore == null ? null : backupBefore.lastFailureTime)) {
      notes.add(new Note(true, "BackupFailed", backupAfter.lastFailureMessage));
    }
    BackupVerificationStatus verifiedAfter = backupAfter == null ? null : backupAfter.lastVerified;
    if (verifiedAfter != null && verifiedAfter.result == BackupVerificationStatus.Result.Failed
        && !Objects.equals(verifiedAfter, backupBefore == null ? null : backupBefore.lastVerified)) {
      notes.add(new Note(true, "BackupVerificationFailed", verifiedAfter.message));
    }
    RestoreStatus restoreBefore = before == null ? null : before.restore;
    RestoreStatus restoreAfter = after == null ? null : after.restore;
    if (restoreAfter != null && (restoreBefore == null || !Objects.equals(restoreBefore.jobName, restoreAfter.jobName)
        || restoreBefore.phase != restoreAfter.phase)) {
      switch (restoreAfter.phase) {
        case Succeeded -> notes.add(new Note(false, "RestoreSucceeded", restoreAfter.message));
        case Running -> notes.add(new Note(false, "Restoring", restoreAfter.message));
        default -> { }
      }
    }
    Condition progressingBefore = find(before, Conditions.PROGRESSING);
    Condition progressingAfter = find(after, Conditions.PROGRESSING);
    if (progressingAfter != null && StatusAggregator.PRE_UPGRADE_BACKUP.equals(progressingAfter.getReason())
        && progressingAfter.getMessage().startsWith(StatusAggregator.PRE_UPGRADE_BACKUP_RUNNING)
        && (progressingBefore == null || !StatusAggregator.PRE_UPGRADE_BACKUP.equals(progressingBefore.getReason()))) {
      notes.add(new Note(false, StatusAggregator.PRE_UPGRADE_BACKUP, progressingAfter.getMessage()));
    }
    notes.addAll(drain(progressingBefore, progressingAfter));
    return notes;
  }

  /** UpgradeDraining, UpgradeMigrating (Normal) as each step begins, UpgradeMigrated when the new dashboard is Ready. */
  static List<Note> drain(Condition before, Condition after) {
    String was = before == null ? null : before.getReason();
    String now = after == null ? null : after.getReason();
    List<Note> notes = new ArrayList<>();
    if ((StatusAggregator.UPGRADE_DRAINING.equals(now) || StatusAggregator.UPGRADE_MIGRATING.equals(now))
        && !now.equals(was)) {
      notes.add(new Note(false, now, after.getMessage()));
    } else if (StatusAggregator.UPGRADE_MIGRATING.equals(was) && !StatusAggregator.UPGRADE_MIGRATING.equals(now)
        && !StatusAggregator.UPGRADE_MIGRATION_STUCK.equals(now)) {
      notes.add(new Note(false, "UpgradeMigrated", "the new dashboard is Ready: the other dashboards, the scheduler"
          + " and the other components follow"));
    }
    return notes;
  }

  /** "dashboard 2025_10.1 → 2026_01, ..." for every component whose image changed. */
  static String imageChanges(PiStackStatus before, PiStackStatus after) {
    if (before == null || before.components == null || after == null || after.components == null) {
      return "";
    }
    List<String> changes = new ArrayList<>();
    for (Map.Entry<String, ComponentStatus> e : after.components.entrySet()) {
      ComponentStatus was = before.components.get(e.getKey());
      String from = was == null ? null : was.image;
      String to = e.getValue().image;
      if (from != null && to != null && !from.equals(to)) {
        changes.add(e.getKey() + " " + (tag(from).equals(tag(to)) ? from + " → " + to : tag(from) + " → " + tag(to)));
      }
    }
    return String.join(", ", changes);
  }

  private static String tag(String image) {
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    return colon > slash ? image.substring(colon + 1) : image;
  }

  private static Condition find(PiStackStatus s, String type) {
    return s == null ? null : Conditions.find(s.conditions, type);
  }

  private static boolean isTrue(Condition c) {
    return c != null && "True".equals(c.getStatus());
  }

  private static boolean same(Condition a, Condition b) {
    return Objects.equals(a.getReason(), b.getReason()) && Objects.equals(a.getMessage(), b.getMessage());
  }
}
