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
  private TransitionEvents() {}

  /** One event to record. */
  public record Note(boolean warning, String reason, String message) {
    /** Under {@code reason}, Normal or Warning as the reason says (Reason#event). */
    static Note of(Reason reason, String message) {
      return new Note(reason.event() == Reason.Event.WARNING, reason.wire(), message);
    }
  }

  public static List<Note> between(PiStackStatus before, PiStackStatus after, String version) {
    List<Note> notes = new ArrayList<>();
    Condition readyBefore = find(before, ConditionType.READY);
    Condition readyAfter = find(after, ConditionType.READY);
    boolean invalid = readyAfter != null && (Reason.INVALID_SPEC.is(readyAfter.getReason())
        || Reason.REFUSED_BY_POLICY.is(readyAfter.getReason()));
    if (before == null && !invalid) {
      notes.add(Note.of(Reason.CREATED, "creating the Pi stack, version " + version));
    }
    String upgrade = imageChanges(before, after);
    if (!upgrade.isEmpty()) {
      notes.add(Note.of(Reason.UPGRADING, "rolling out version " + version + ": " + upgrade));
    }

    Condition degradedBefore = find(before, ConditionType.DEGRADED);
    Condition degradedAfter = find(after, ConditionType.DEGRADED);
    if (isTrue(degradedAfter) && !(isTrue(degradedBefore) && same(degradedBefore, degradedAfter))) {
      String reason = degradedAfter.getReason();
      boolean ownReason = Reason.of(reason).map(Reason::announcedUnderOwnName).orElse(false);
      notes.add(ownReason ? new Note(true, reason, degradedAfter.getMessage())
          : Note.of(Reason.DEGRADED_EVENT, reason + ": " + degradedAfter.getMessage()));
    } else if (isTrue(degradedBefore) && degradedAfter != null && !isTrue(degradedAfter)) {
      notes.add(Note.of(Reason.RECOVERED, "no longer degraded (was " + degradedBefore.getReason() + ")"));
    }

    boolean pausedBefore = readyBefore != null && Reason.PAUSED.is(readyBefore.getReason());
    boolean pausedAfter = readyAfter != null && Reason.PAUSED.is(readyAfter.getReason());
    if (pausedAfter && !pausedBefore) {
      notes.add(Note.of(Reason.PAUSED, "spec.paused is true: the operator stops changing the stack's objects"));
    } else if (pausedBefore && readyAfter != null && !pausedAfter) {
      notes.add(Note.of(Reason.RESUMED, "spec.paused was lifted: reconciling the stack again"));
    }
    if (isTrue(readyAfter) && !isTrue(readyBefore)) {
      notes.add(Note.of(Reason.READY_EVENT, readyAfter.getMessage()));
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
      notes.add(Note.of(Reason.BACKUP_FAILED, backupAfter.lastFailureMessage));
    }
    BackupVerificationStatus verifiedAfter = backupAfter == null ? null : backupAfter.lastVerified;
    if (verifiedAfter != null && verifiedAfter.result == BackupVerificationStatus.Result.Failed
        && !Objects.equals(verifiedAfter, backupBefore == null ? null : backupBefore.lastVerified)) {
      notes.add(Note.of(Reason.BACKUP_VERIFICATION_FAILED, verifiedAfter.message));
    }
    RestoreStatus restoreBefore = before == null ? null : before.restore;
    RestoreStatus restoreAfter = after == null ? null : after.restore;
    if (restoreAfter != null && (restoreBefore == null || !Objects.equals(restoreBefore.jobName, restoreAfter.jobName)
        || restoreBefore.phase != restoreAfter.phase)) {
      switch (restoreAfter.phase) {
        case Succeeded -> notes.add(Note.of(Reason.RESTORE_SUCCEEDED, restoreAfter.message));
        case Running -> notes.add(Note.of(Reason.RESTORING, restoreAfter.message));
        default -> { }
      }
    }
    Condition progressingBefore = find(before, ConditionType.PROGRESSING);
    Condition progressingAfter = find(after, ConditionType.PROGRESSING);
    if (progressingAfter != null && Reason.PRE_UPGRADE_BACKUP.is(progressingAfter.getReason())
        && progressingAfter.getMessage().startsWith(LifecycleConditions.PRE_UPGRADE_BACKUP_RUNNING)
        && (progressingBefore == null || !Reason.PRE_UPGRADE_BACKUP.is(progressingBefore.getReason()))) {
      notes.add(Note.of(Reason.PRE_UPGRADE_BACKUP, progressingAfter.getMessage()));
    }
    notes.addAll(drain(progressingBefore, progressingAfter));
    notes.addAll(hibernation(find(before, ConditionType.HIBERNATED), find(after, ConditionType.HIBERNATED)));
    return notes;
  }

  /** Hibernating, Hibernated, Waking (Normal) as each begins: the Hibernated condition's reason changed to it. */
  static List<Note> hibernation(Condition before, Condition after) {
    String was = before == null ? null : before.getReason();
    String now = after == null ? null : after.getReason();
    boolean step = Reason.HIBERNATING.is(now) || Reason.HIBERNATED_STACK.is(now) || Reason.WAKING.is(now);
    return step && !now.equals(was) ? List.of(Note.of(Reason.of(now).orElseThrow(), after.getMessage())) : List.of();
  }

  /** UpgradeDraining, UpgradeMigrating (Normal) as each step begins, UpgradeMigrated when the new dashboard is Ready. */
  static List<Note> drain(Condition before, Condition after) {
    String was = before == null ? null : before.getReason();
    String now = after == null ? null : after.getReason();
    List<Note> notes = new ArrayList<>();
    if ((Reason.UPGRADE_DRAINING.is(now) || Reason.UPGRADE_MIGRATING.is(now)) && !now.equals(was)) {
      notes.add(Note.of(Reason.of(now).orElseThrow(), after.getMessage()));
    } else if (Reason.UPGRADE_MIGRATING.is(was) && !Reason.UPGRADE_MIGRATING.is(now)
        && !Reason.UPGRADE_MIGRATION_STUCK.is(now)) {
      notes.add(Note.of(Reason.UPGRADE_MIGRATED, "the new dashboard is Ready: the other dashboards, the scheduler"
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

  private static Condition find(PiStackStatus s, ConditionType type) {
    return s == null ? null : Conditions.find(s.conditions, type);
  }

  private static boolean isTrue(Condition c) {
    return c != null && "True".equals(c.getStatus());
  }

  private static boolean same(Condition a, Condition b) {
    return Objects.equals(a.getReason(), b.getReason()) && Objects.equals(a.getMessage(), b.getMessage());
  }
}
