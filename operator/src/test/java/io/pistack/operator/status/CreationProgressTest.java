package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which status changes of a creation wait for their turn, and that everything else is written at once. */
class CreationProgressTest {
  static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");
  static final ResourceID STACK = new ResourceID("pi", "ns");

  /** A creation's status: the database and the dashboard ready or not, nothing at fault. */
  static PiStackStatus creating(boolean databaseReady, int dashboardReady) {
    PiStackStatus s = new PiStackStatus();
    s.observedGeneration = 1L;
    String waiting = "waiting for " + (databaseReady ? "" : "database (EmbeddedStarting), ")
        + (dashboardReady == 3 ? "scheduler (PodsNotReady)" : "dashboard (PodsNotReady), scheduler (PodsNotReady)");
    s.conditions = new Conditions(null, 1, Clock.fixed(T0, ZoneOffset.UTC))
        .set(ConditionType.READY.wire(), false, Reason.COMPONENTS_NOT_READY.wire(), waiting)
        .set(ConditionType.PROGRESSING.wire(), true, Reason.ROLLING_OUT.wire(), waiting)
        .set(ConditionType.DEGRADED.wire(), false, "AsExpected", "")
        .set(ConditionType.DATABASE_READY.wire(), databaseReady, databaseReady ? "EmbeddedReady" : "EmbeddedStarting", "")
        .set("DashboardReady", dashboardReady == 3, dashboardReady == 3 ? "Available" : "PodsNotReady",
            "dashboard: " + dashboardReady + "/3 ready")
        .build();
    s.components.put("dashboard", component(dashboardReady, 3, "ghcr.io/pi-cr/server:2025_10.1"));
    s.dashboardReplicas = dashboardReady + "/3";
    return s;
  }

  static ComponentStatus component(int ready, int desired, String image) {
    ComponentStatus c = new ComponentStatus();
    c.readyReplicas = ready;
    c.availableReplicas = ready;
    c.updatedReplicas = desired;
    c.desiredReplicas = desired;
    c.image = image;
    return c;
  }

  static PiStackStatus with(PiStackStatus s, String type, boolean status, String reason, String message) {
    Conditions next = new Conditions(s.conditions, s.observedGeneration, Clock.fixed(T0, ZoneOffset.UTC));
    s.conditions.forEach(c -> next.set(c.getType(), c.getStatus(), c.getReason(), c.getMessage()));
    s.conditions = next.set(type, status, reason, message).build();
    return s;
  }

  @Test
  void componentByComponentProgressOfANewStackWaitsOneMinuteThenTenMinutesEachTime() {
    CreationProgress p = new CreationProgress();
    PiStackStatus first = creating(false, 0);
    assertThat(p.hold(STACK, null, first, T0)).as("the first status").isEmpty();
    p.written(STACK, null, first, T0);

    PiStackStatus dbReady = creating(true, 0);
    assertThat(CreationProgress.progressOnly(first, dbReady)).isTrue();
    assertThat(p.hold(STACK, first, dbReady, T0.plusSeconds(5))).as("the database ready, 5 s in")
        .contains(CreationProgress.REFRESH.minusSeconds(5));
    PiStackStatus oneDashboard = creating(true, 1);
    assertThat(p.hold(STACK, first, oneDashboard, T0.plusSeconds(59))).contains(Duration.ofSeconds(1));
    assertThat(p.hold(STACK, first, oneDashboard, T0.plusSeconds(60))).as("due: written").isEmpty();
    p.written(STACK, first, oneDashboard, T0.plusSeconds(60));
    PiStackStatus dashboardReady = creating(true, 3);
    assertThat(p.hold(STACK, oneDashboard, dashboardReady, T0.plusSeconds(70)))
        .as("the next refresh waits ten minutes, from the last write").contains(Duration.ofSeconds(590));
    assertThat(p.hold(STACK, oneDashboard, dashboardReady, T0.plusSeconds(659))).contains(Duration.ofSeconds(1));
    assertThat(p.hold(STACK, oneDashboard, dashboardReady, T0.plusSeconds(660))).isEmpty();
    p.written(STACK, oneDashboard, dashboardReady, T0.plusSeconds(660));
    PiStackStatus dashboardReadyToo = creating(true, 2);
    assertThat(p.hold(STACK, dashboardReady, dashboardReadyToo, T0.plusSeconds(661)))
        .as("and ten minutes again, not longer").contains(Duration.ofSeconds(599));

    // Ready is written at once, and ends the pacing.
    PiStackStatus ready = with(with(creating(true, 3), ConditionType.READY.wire(), true, Reason.ALL_COMPONENTS_READY.wire(), ""),
        ConditionType.PROGRESSING.wire(), false, "RolloutComplete", "");
    assertThat(p.hold(STACK, oneDashboard, ready, T0.plusSeconds(71))).isEmpty();
    p.written(STACK, oneDashboard, ready, T0.plusSeconds(71));
    assertThat(p.creating()).isZero();
    // After that, a stack that is not ready again (a pod lost) is reported at every change.
    assertThat(p.hold(STACK, creating(true, 2), creating(true, 1), T0.plusSeconds(72))).isEmpty();
  }

  @Test
  void faultsPausesGenerationsImagesAndGatesAreNeverHeld() {
    CreationProgress p = new CreationProgress();
    PiStackStatus first = creating(false, 0);
    p.written(STACK, null, first, T0);
    Instant soon = T0.plusSeconds(1);

    PiStackStatus fault = with(creating(false, 0), ConditionType.DEGRADED.wire(), true, "ImagePullBackOff", "dashboard: ...");
    fault = with(fault, ConditionType.READY.wire(), false, "ImagePullBackOff", "dashboard: ...");
    assertThat(p.hold(STACK, first, fault, soon)).as("a fault").isEmpty();
    // Its recovery is written at once as well (the fault was the stored status).
    assertThat(p.hold(STACK, fault, creating(false, 0), soon)).as("the recovery").isEmpty();

    PiStackStatus paused = with(creating(false, 0), ConditionType.READY.wire(), false, Reason.PAUSED.wire(), "");
    assertThat(p.hold(STACK, first, paused, soon)).as("paused").isEmpty();

    PiStackStatus generation = creating(false, 0);
    generation.observedGeneration = 2L;
    assertThat(p.hold(STACK, first, generation, soon)).as("a new generation").isEmpty();

    PiStackStatus image = creating(false, 1);
    image.components.get("dashboard").image = "ghcr.io/pi-cr/server:2026_01";
    assertThat(p.hold(STACK, first, image, soon)).as("another image").isEmpty();

    PiStackStatus restoring = with(creating(false, 0), ConditionType.READY.wire(), false, "Restoring", "restoring ...");
    assertThat(p.hold(STACK, first, restoring, soon)).as("a gate").isEmpty();

    PiStackStatus url = creating(true, 0);
    url.url = "http://pi.example.com/pi";
    assertThat(p.hold(STACK, first, url, soon)).as("a URL").isEmpty();

    assertThat(p.hold(STACK, first, creating(true, 0), soon)).as("but progress is")
        .isEqualTo(Optional.of(CreationProgress.REFRESH.minusSeconds(1)));
  }

  @Test
  void aDeletedStackIsForgotten() {
    CreationProgress p = new CreationProgress();
    ResourceID other = new ResourceID("other", "ns");
    p.written(STACK, null, creating(false, 0), T0);
    p.written(other, null, creating(false, 0), T0);
    assertThat(p.creating()).isEqualTo(2);
    p.forget(STACK);
    assertThat(p.creating()).isEqualTo(1);
    assertThat(p.hold(STACK, creating(false, 0), creating(true, 0), T0.plusSeconds(1)))
        .as("a new stack of that name is no creation this process saw begin").isEmpty();
  }

  @Test
  void onlyCreationsThisProcessSawBeginArePaced() {
    CreationProgress p = new CreationProgress();
    // A restarted operator finds a stack half created: its first status was written before.
    assertThat(p.hold(STACK, creating(false, 0), creating(true, 0), T0)).isEmpty();
    p.written(STACK, creating(false, 0), creating(true, 0), T0);
    assertThat(p.creating()).isZero();
    // A first status that is not "waiting" (an invalid spec, a missing Secret) starts no pacing.
    PiStackStatus missing = with(creating(false, 0), ConditionType.DEGRADED.wire(), true, "SecretNotFound", "pi-licence");
    p.written(STACK, null, missing, T0);
    assertThat(p.creating()).isZero();
  }

  @Test
  void aBackupOrItsVerificationFailingDuringACreationIsNewsNotProgress() {
    PiStackStatus stored = with(creating(false, 1), ConditionType.BACKUP_FAILING.wire(), false, "BackupSucceeded", "");
    PiStackStatus failing = with(creating(false, 1), ConditionType.BACKUP_FAILING.wire(), true, "BackupFailed", "dump");
    assertThat(CreationProgress.progressOnly(stored, failing)).isFalse();
    PiStackStatus verifying = with(creating(false, 1), ConditionType.BACKUP_VERIFICATION_FAILING.wire(), true,
        Reason.VERIFICATION_FAILED.wire(), "checksum");
    assertThat(CreationProgress.progressOnly(stored, with(verifying, ConditionType.BACKUP_FAILING.wire(), false,
        "BackupSucceeded", ""))).isFalse();
    // The database's and a component's readiness are progress.
    assertThat(CreationProgress.progressOnly(stored,
        with(creating(true, 2), ConditionType.BACKUP_FAILING.wire(), false, "BackupSucceeded", ""))).isTrue();
  }

  /** The creation's status when the scheduler cannot place the database pod (a claim not bound yet). */
  static PiStackStatus unplaced(PiStackStatus s) {
    String why = "database: pod pi-db-0 cannot be scheduled: 0/1 nodes are available: pod has unbound immediate"
        + " PersistentVolumeClaims";
    return with(with(s, ConditionType.DATABASE_READY.wire(), false, Reason.UNSCHEDULABLE.wire(), why),
        ConditionType.READY.wire(), false, Reason.UNSCHEDULABLE.wire(), why);
  }

  /**
   * Measured on the bench (20 stacks, two shards): a creation whose database claim was bound after the
   * scheduler's 20 s wrote its first status, Unschedulable, each component's progress while Unschedulable, the
   * way back to ComponentsNotReady and Ready: 4 to 6 writes. The turn to Unschedulable is news; what follows
   * until Ready is progress, written at most a minute after the last write.
   */
  @Test
  void aCreationWaitingForTheSchedulerWritesTheWaitAtOnceAndPacesWhatFollows() {
    CreationProgress p = new CreationProgress();
    PiStackStatus first = creating(false, 0);
    p.written(STACK, null, first, T0);
    PiStackStatus unplaced = unplaced(creating(false, 0));
    assertThat(CreationProgress.notReadyYet(unplaced)).isTrue();
    assertThat(p.hold(STACK, first, unplaced, T0.plusSeconds(25))).as("the turn to Unschedulable").isEmpty();
    p.written(STACK, first, unplaced, T0.plusSeconds(25));

    PiStackStatus moreReady = unplaced(creating(false, 1));
    assertThat(p.hold(STACK, unplaced, moreReady, T0.plusSeconds(30))).as("a component ready meanwhile")
        .contains(Duration.ofSeconds(55));
    PiStackStatus placed = creating(false, 1);
    assertThat(p.hold(STACK, unplaced, placed, T0.plusSeconds(35))).as("the claim bound: back to waiting")
        .contains(Duration.ofSeconds(50));
    assertThat(p.hold(STACK, unplaced, placed, T0.plusSeconds(85))).as("due a minute after the last write").isEmpty();

    PiStackStatus ready = with(with(creating(true, 3), ConditionType.READY.wire(), true,
        Reason.ALL_COMPONENTS_READY.wire(), ""), ConditionType.PROGRESSING.wire(), false, "RolloutComplete", "");
    PiStackStatus dashboardToo = with(unplaced(creating(false, 0)), "DashboardReady", false,
        Reason.UNSCHEDULABLE.wire(), "dashboard: pod pi-dashboard-0 cannot be scheduled: 0/1 nodes are available");
    assertThat(p.hold(STACK, unplaced, dashboardToo, T0.plusSeconds(40))).as("another component unplaced: news")
        .isEmpty();
    assertThat(p.hold(STACK, unplaced, ready, T0.plusSeconds(40))).as("Ready").isEmpty();
    assertThat(p.hold(STACK, unplaced, with(unplaced(creating(false, 0)), ConditionType.DEGRADED.wire(), true,
        "ImagePullBackOff", "dashboard: ..."), T0.plusSeconds(40))).as("a fault").isEmpty();
  }

  /** While Unschedulable, the progress (and the end of that wait) waits a minute at most, not ten. */
  @Test
  void whileUnschedulableTheStatusIsRefreshedWithinAMinute() {
    CreationProgress p = new CreationProgress();
    PiStackStatus first = creating(false, 0);
    p.written(STACK, null, first, T0);
    PiStackStatus oneReady = creating(false, 1);
    p.written(STACK, first, oneReady, T0.plusSeconds(60));
    assertThat(p.hold(STACK, oneReady, creating(false, 2), T0.plusSeconds(100))).as("after a refresh: ten minutes")
        .contains(Duration.ofSeconds(560));
    PiStackStatus unplaced = unplaced(creating(false, 1));
    assertThat(p.hold(STACK, oneReady, unplaced, T0.plusSeconds(100))).isEmpty();
    p.written(STACK, oneReady, unplaced, T0.plusSeconds(100));
    assertThat(p.hold(STACK, unplaced, creating(false, 1), T0.plusSeconds(130))).as("the wait over")
        .contains(Duration.ofSeconds(30));
    PiStackStatus stillUnplaced = unplaced(creating(false, 2));
    p.written(STACK, unplaced, stillUnplaced, T0.plusSeconds(160));
    assertThat(p.hold(STACK, stillUnplaced, creating(false, 2), T0.plusSeconds(170)))
        .as("after a refresh while Unschedulable: still a minute").contains(Duration.ofSeconds(50));
  }

  /** Progress is what ConditionType says: the database's and the components' readiness, not any type ending in Ready. */
  @Test
  void progressIsTheDatabaseAndTheComponentsReadinessOnly() {
    java.util.function.Predicate<String> progress = type -> CreationProgress.isProgress(
        new io.fabric8.kubernetes.api.model.ConditionBuilder().withType(type).build());
    assertThat(progress).accepts("DatabaseReady", "DashboardReady", "SchedulerReady", "QdrantReady");
    assertThat(progress).rejects("Ready", "Progressing", "Degraded", "BackupFailing", "BackupVerificationFailing",
        "SomeFutureGateReady");
  }
}
