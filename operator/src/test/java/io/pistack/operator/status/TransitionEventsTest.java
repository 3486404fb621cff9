package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.status.TransitionEvents.Note;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TransitionEventsTest {
  static PiStackStatus status(String readyStatus, String readyReason, boolean degraded, String degradedReason,
      String message) {
    PiStackStatus s = new PiStackStatus();
    s.conditions = new Conditions(null, 1, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
        .set(ConditionType.READY.wire(), readyStatus, readyReason, "")
        .set(ConditionType.DEGRADED.wire(), degraded, degradedReason, message)
        .build();
    return s;
  }

  static PiStackStatus ready() {
    return status("True", "AllComponentsReady", false, "AsExpected", "");
  }

  @Test
  void aNewStackIsCreated() {
    assertThat(TransitionEvents.between(null, status("False", "ComponentsNotReady", false, "AsExpected", ""), "2025_10.1"))
        .containsExactly(new Note(false, "Created", "creating the Pi stack, version 2025_10.1"));
    assertThat(TransitionEvents.between(null, status("False", "InvalidSpec", true, "InvalidSpec", "spec.version: required"), ""))
        .containsExactly(new Note(true, "InvalidSpec", "spec.version: required"));
    assertThat(TransitionEvents.between(null, status("False", "RefusedByPolicy", true, "RefusedByPolicy",
        "spec.dashboard.extraVolumes[0].hostPath: ..."), "")).as("refused: nothing is created")
        .containsExactly(new Note(true, "RefusedByPolicy", "spec.dashboard.extraVolumes[0].hostPath: ..."));
  }

  @Test
  void degradedOnceRecoveredOnce() {
    PiStackStatus crash = status("False", "CrashLoopBackOff", true, "CrashLoopBackOff", "dashboard: pod p ...");
    assertThat(TransitionEvents.between(ready(), crash, "v")).containsExactly(
        new Note(true, "Degraded", "CrashLoopBackOff: dashboard: pod p ..."));
    assertThat(TransitionEvents.between(crash, crash, "v")).as("still the same fault").isEmpty();
    assertThat(TransitionEvents.between(crash, ready(), "v")).containsExactly(
        new Note(false, "Recovered", "no longer degraded (was CrashLoopBackOff)"),
        new Note(false, "Ready", ""));
    assertThat(TransitionEvents.between(ready(), ready(), "v")).isEmpty();
  }

  @Test
  void inputProblemsKeepTheirReason() {
    assertThat(TransitionEvents.between(ready(), status("False", "CredentialsMissing", true, "CredentialsMissing",
        "database credentials: Secret pi-db not found"), "v")).containsExactly(
        new Note(true, "CredentialsMissing", "database credentials: Secret pi-db not found"));
  }

  @Test
  void pausedAndResumed() {
    PiStackStatus paused = status("False", "Paused", false, "AsExpected", "");
    assertThat(TransitionEvents.between(ready(), paused, "v")).extracting(Note::reason).containsExactly("Paused");
    assertThat(TransitionEvents.between(paused, ready(), "v")).extracting(Note::reason).containsExactly("Resumed", "Ready");
  }

  @Test
  void anImageChangeIsAnUpgrade() {
    PiStackStatus before = ready();
    PiStackStatus after = ready();
    for (String[] c : new String[][] {{"dashboard", "server"}, {"renderer", "renderer"}}) {
      ComponentStatus was = new ComponentStatus();
      was.image = "ghcr.io/pi-cr/" + c[1] + ":2025_10.1";
      before.components.put(c[0], was);
      ComponentStatus now = new ComponentStatus();
      now.image = "ghcr.io/pi-cr/" + c[1] + ":2026_01";
      after.components.put(c[0], now);
    }
    assertThat(TransitionEvents.between(before, after, "2026_01")).containsExactly(new Note(false, "Upgrading",
        "rolling out version 2026_01: dashboard 2025_10.1 → 2026_01, renderer 2025_10.1 → 2026_01"));
  }

  static PiStackStatus restore(io.pistack.operator.api.v1alpha1.RestoreStatus.Phase phase, String job) {
    PiStackStatus s = ready();
    s.restore = new io.pistack.operator.api.v1alpha1.RestoreStatus();
    s.restore.phase = phase;
    s.restore.jobName = job;
    s.restore.message = phase + " " + job;
    return s;
  }

  @Test
  void restoreEventsFollowThePhaseOnce() {
    var running = restore(io.pistack.operator.api.v1alpha1.RestoreStatus.Phase.Running, "pi-restore-1");
    var done = restore(io.pistack.operator.api.v1alpha1.RestoreStatus.Phase.Succeeded, "pi-restore-1");
    assertThat(TransitionEvents.lifecycle(ready(), running)).containsExactly(new Note(false, "Restoring", "Running pi-restore-1"));
    assertThat(TransitionEvents.lifecycle(running, running)).isEmpty();
    assertThat(TransitionEvents.lifecycle(running, done)).containsExactly(new Note(false, "RestoreSucceeded", "Succeeded pi-restore-1"));
    assertThat(TransitionEvents.lifecycle(done, done)).isEmpty();
    // Pending, Refused and Failed have no event here (Refused/Failed are Degraded's).
    assertThat(TransitionEvents.lifecycle(ready(), restore(io.pistack.operator.api.v1alpha1.RestoreStatus.Phase.Pending, "x")))
        .isEmpty();
  }

  @Test
  void aNewBackupFailureIsAWarningOnce() {
    PiStackStatus ok = ready();
    ok.backup = new io.pistack.operator.api.v1alpha1.BackupStatus();
    ok.backup.lastSuccessfulTime = "2026-01-14T02:00:40Z";
    PiStackStatus failed = ready();
    failed.backup = new io.pistack.operator.api.v1alpha1.BackupStatus();
    failed.backup.lastSuccessfulTime = "2026-01-14T02:00:40Z";
    failed.backup.lastFailureTime = "2026-01-15T02:05:00Z";
    failed.backup.lastFailureMessage = "Job pi-backup-2: cannot connect";
    assertThat(TransitionEvents.lifecycle(ok, failed)).containsExactly(new Note(true, "BackupFailed", "Job pi-backup-2: cannot connect"));
    assertThat(TransitionEvents.lifecycle(failed, failed)).isEmpty();
  }

  @Test
  void aPreUpgradeBackupIsAnnouncedWhenItsJobStarts() {
    PiStackStatus waiting = ready();
    waiting.conditions = new Conditions(null, 1, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
        .set(ConditionType.PROGRESSING.wire(), true, Reason.PRE_UPGRADE_BACKUP.wire(), "the upgrade from 1 to 2 waits for the database")
        .build();
    PiStackStatus backingUp = ready();
    String m = LifecycleConditions.PRE_UPGRADE_BACKUP_RUNNING + "1 to 2 (Job pi-pre-upgrade-2-abc)";
    backingUp.conditions = new Conditions(null, 1, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
        .set(ConditionType.PROGRESSING.wire(), true, Reason.PRE_UPGRADE_BACKUP.wire(), m).build();
    assertThat(TransitionEvents.lifecycle(ready(), backingUp)).containsExactly(new Note(false, "PreUpgradeBackup", m));
    assertThat(TransitionEvents.lifecycle(ready(), waiting)).as("no Job yet: no event").isEmpty();
    assertThat(TransitionEvents.lifecycle(waiting, backingUp)).as("as before the refactor: once per gate").isEmpty();
    assertThat(TransitionEvents.lifecycle(backingUp, backingUp)).isEmpty();
  }

  @Test
  void aDrainedUpgradeAnnouncesEachStepOnceAndMigratedOnlyWhenTheMigrationEnds() {
    io.fabric8.kubernetes.api.model.Condition draining = progressing(Reason.UPGRADE_DRAINING.wire());
    io.fabric8.kubernetes.api.model.Condition migrating = progressing(Reason.UPGRADE_MIGRATING.wire());
    io.fabric8.kubernetes.api.model.Condition stuck = progressing(Reason.UPGRADE_MIGRATION_STUCK.wire());
    io.fabric8.kubernetes.api.model.Condition done = progressing("AllComponentsReady");
    assertThat(TransitionEvents.drain(draining, migrating)).extracting(Note::reason).containsExactly("UpgradeMigrating");
    assertThat(TransitionEvents.drain(migrating, migrating)).as("a reconcile while still migrating").isEmpty();
    assertThat(TransitionEvents.drain(migrating, stuck)).isEmpty();
    assertThat(TransitionEvents.drain(migrating, done)).extracting(Note::reason).containsExactly("UpgradeMigrated");
  }

  private static io.fabric8.kubernetes.api.model.Condition progressing(String reason) {
    return new io.fabric8.kubernetes.api.model.ConditionBuilder().withType(ConditionType.PROGRESSING.wire())
        .withStatus("True").withReason(reason).withMessage("m").build();
  }
}
