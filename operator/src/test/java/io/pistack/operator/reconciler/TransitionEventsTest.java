package io.pistack.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.reconciler.TransitionEvents.Note;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TransitionEventsTest {
  static PiStackStatus status(String readyStatus, String readyReason, boolean degraded, String degradedReason,
      String message) {
    PiStackStatus s = new PiStackStatus();
    s.conditions = new Conditions(null, 1, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC))
        .set(Conditions.READY, readyStatus, readyReason, "")
        .set(Conditions.DEGRADED, degraded, degradedReason, message)
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
}
