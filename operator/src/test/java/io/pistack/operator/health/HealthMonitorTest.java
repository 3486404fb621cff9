package io.pistack.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.HealthProbeStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.it.FakeComponents;
import io.pistack.operator.it.FakeComponents.Behaviour;
import io.pistack.operator.it.Stacks;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The probe event source against a real local HTTP server: events on change only, bounded work. */
class HealthMonitorTest {
  FakeComponents fake;
  HealthMonitor monitor;
  final List<ResourceID> events = new CopyOnWriteArrayList<>();
  final List<ProbeResult> probed = new CopyOnWriteArrayList<>();
  PiStack stack;
  ResourceID id;

  @BeforeEach
  void setUp() {
    fake = new FakeComponents().allOk("2025_10.1");
    stack = Stacks.sample("minimal.yaml", "ns");
    id = ResourceID.fromResource(stack);
  }

  @AfterEach
  void tearDown() {
    if (monitor != null) {
      monitor.stop();
    }
    fake.close();
  }

  private void start(HealthConfig config) {
    start(config, fake.resolver());
  }

  private void start(HealthConfig config, ProbeAddressResolver resolver) {
    monitor = new HealthMonitor(config.withResolver(resolver)
        .withListener((name, target, result) -> probed.add(result)), Clock.systemUTC());
    monitor.setEventHandler(e -> events.add(e.getRelatedCustomResourceID()));
    monitor.start();
  }

  private static HealthConfig every(long millis) {
    return HealthConfig.defaults().withInterval(Duration.ofMillis(millis)).withTimeout(Duration.ofMillis(400));
  }

  @Test
  void triggersAReconcileOnlyWhenTheOutcomeChanges() {
    start(every(50).withFailureThreshold(1));
    monitor.onResourceCreated(stack);
    monitor.serving(id, Set.of());
    monitor.serving(id, Set.of("dashboard"));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
    ProbeRecord first = monitor.snapshot(id).get("dashboard").orElseThrow();
    assertThat(first.result().healthy()).isTrue();
    assertThat(first.result().version()).isEqualTo("2025_10.1");
    assertThat(first.result().httpCode()).isEqualTo(200);

    // Many probes later, with varying latency: no new event, the record is the same object.
    fake.set("dashboard", new Behaviour(200, "2025_10.1", 20));
    int probes = probed.size();
    await().atMost(Duration.ofSeconds(5)).until(() -> probed.size() > probes + 10);
    assertThat(events).hasSize(1);
    assertThat(monitor.snapshot(id).get("dashboard").orElseThrow()).isSameAs(first);

    fake.set("dashboard", new Behaviour(503, "", 0));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
    ProbeRecord failed = monitor.snapshot(id).get("dashboard").orElseThrow();
    assertThat(failed.result().healthy()).isFalse();
    assertThat(failed.result().message()).isEqualTo("HTTP 503");
    assertThat(failed.since()).isAfterOrEqualTo(first.since());

    fake.set("dashboard", Behaviour.ok("2026_01"));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 3);
    assertThat(monitor.snapshot(id).get("dashboard").orElseThrow().result().version()).isEqualTo("2026_01");
    assertThat(events).containsOnly(id);
  }

  /**
   * Issue 24: a stack is validated and resolved once per generation. An event for the same object at the
   * same generation (a status write) only updates the status seen; here the spec is changed behind an
   * unchanged generation (an API server would have bumped it) to show it is not resolved again.
   */
  @Test
  void aStackIsResolvedAgainOnlyWhenItsGenerationChanges() {
    start(every(60_000));
    stack.getMetadata().setUid("u1");
    stack.getMetadata().setGeneration(1L);
    monitor.onResourceCreated(stack);
    List<ProbeTarget> first = monitor.targets(id);
    assertThat(first).extracting(ProbeTarget::key).contains("renderer");

    PiStack sameGeneration = Stacks.sample("minimal.yaml", "ns");
    sameGeneration.getMetadata().setUid("u1");
    sameGeneration.getMetadata().setGeneration(1L);
    sameGeneration.getSpec().renderer = new io.pistack.operator.api.v1alpha1.ScalableComponentSpec();
    sameGeneration.getSpec().renderer.enabled = false;
    monitor.onResourceUpdated(sameGeneration, stack);
    assertThat(monitor.targets(id)).isSameAs(first);

    sameGeneration.getMetadata().setGeneration(2L);
    monitor.onResourceUpdated(sameGeneration, stack);
    assertThat(monitor.targets(id)).extracting(ProbeTarget::key).doesNotContain("renderer");

    PiStack recreated = Stacks.sample("minimal.yaml", "ns");
    recreated.getMetadata().setUid("u2");
    recreated.getMetadata().setGeneration(2L);
    monitor.onResourceUpdated(recreated, sameGeneration);
    assertThat(monitor.targets(id)).extracting(ProbeTarget::key).contains("renderer");
  }

  @Test
  void aSingleFailureBelowTheThresholdIsNotNews() {
    start(every(50).withFailureThreshold(2));
    monitor.onResourceCreated(stack);
    monitor.serving(id, Set.of());
    monitor.serving(id, Set.of("renderer"));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);

    fake.failNext("renderer", 1);
    int probes = probed.size();
    await().atMost(Duration.ofSeconds(5)).until(() -> probed.size() > probes + 5);
    assertThat(probed).anyMatch(r -> !r.healthy());
    assertThat(events).as("one failed probe is a flap").hasSize(1);

    fake.failNext("renderer", 1000);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
    assertThat(monitor.snapshot(id).get("renderer").orElseThrow().result().healthy()).isFalse();
  }

  /**
   * Issue 11: a failing endpoint whose probes alternate between two messages ("timed out after
   * 0.4s", "connection refused") is one failure: one reconcile trigger, and the record (what the
   * status shows, so the status write and the Warning) stays that of the first failed probe. It was
   * news, a status write and a Warning on every probe when the message was compared.
   */
  @Test
  void aFailureAlternatingBetweenTwoMessagesIsNewsOnce() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicInteger dashboardProbes = new java.util.concurrent.atomic.AtomicInteger();
    ProbeAddressResolver real = fake.resolver();
    // While failing: every other dashboard probe goes to a closed port, the others to a slow answer.
    start(every(50).withFailureThreshold(1), t -> failing.get() && "dashboard".equals(t.key())
        && dashboardProbes.getAndIncrement() % 2 == 0
        ? java.net.URI.create("http://127.0.0.1:" + closedPort + t.path()) : real.resolve(t));
    monitor.onResourceCreated(stack);
    monitor.serving(id, Set.of());
    monitor.serving(id, Set.of("dashboard"));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
    assertThat(monitor.snapshot(id).get("dashboard").orElseThrow().result().healthy()).isTrue();

    fake.set("dashboard", new Behaviour(200, "2025_10.1", 2000));
    failing.set(true);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
    ProbeRecord failed = monitor.snapshot(id).get("dashboard").orElseThrow();
    assertThat(failed.result().healthy()).isFalse();

    // Both messages seen, each more than once, after the failure was published.
    int probes = probed.size();
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      List<String> since = probed.subList(probes, probed.size()).stream().map(ProbeResult::message).toList();
      return since.stream().filter("connection refused"::equals).count() >= 2
          && since.stream().filter(m -> m.startsWith("timed out")).count() >= 2;
    });
    assertThat(events).as("one failure, however its message alternates").hasSize(2);
    assertThat(monitor.snapshot(id).get("dashboard").orElseThrow()).isSameAs(failed);
  }

  @Test
  void aComponentThatStartsServingIsPendingUntilItsFirstProbe() {
    fake.set("scheduler", new Behaviour(200, "2025_10.1", 300));
    start(every(10_000));
    monitor.onResourceCreated(stack);
    monitor.serving(id, Set.of());
    assertThat(monitor.snapshot(id).pending()).isEmpty();

    monitor.serving(id, Set.of("scheduler"));
    assertThat(monitor.snapshot(id).pending("scheduler")).isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
    assertThat(monitor.snapshot(id).pending("scheduler")).isFalse();
    assertThat(monitor.snapshot(id).get("scheduler").orElseThrow().result().healthy()).isTrue();
  }

  @Test
  void componentsWithoutReadyPodsAreNotProbedButAnExternalDatabaseIs() {
    stack = Stacks.sample("external-database.yaml", "ns");
    id = ResourceID.fromResource(stack);
    fake.databaseUp(false);
    start(every(50));
    monitor.onResourceCreated(stack);
    monitor.serving(id, Set.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
    ProbeRecord db = monitor.snapshot(id).get(ProbeTarget.DATABASE).orElseThrow();
    assertThat(db.result().healthy()).isFalse();
    assertThat(db.result().message()).isEqualTo("connection refused");
    await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
    assertThat(fake.requests("dashboard") + fake.requests("scheduler") + fake.requests("renderer")).isZero();

    fake.databaseUp(true);
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
    assertThat(monitor.snapshot(id).get(ProbeTarget.DATABASE).orElseThrow().result().healthy()).isTrue();
  }

  @Test
  void probesRunOnABoundedExecutorAndASlowTargetNeverPilesUp() {
    for (String c : List.of("dashboard", "scheduler", "analytics", "renderer")) {
      fake.set(c, new Behaviour(200, "v", 250));
    }
    // A timeout far above the targets' 250 ms: the first exchanges of a cold JVM (the JDK HTTP
    // client's start, on a loaded machine) took over 400 ms, timed out, and the fake went on
    // serving them while the freed threads sent the next ones: 7 or 8 "at once" at the fake
    // whenever this test was the first of the JVM to probe over HTTP (it depended on the order).
    start(every(20).withFailureThreshold(1).withTimeout(Duration.ofSeconds(5)));
    for (int i = 0; i < 3; i++) {
      PiStack s = Stacks.sample("minimal.yaml", "ns" + i);
      ResourceID sid = ResourceID.fromResource(s);
      monitor.onResourceCreated(s);
      monitor.serving(sid, Set.of());
      monitor.serving(sid, Set.of("dashboard", "scheduler", "analytics", "renderer"));
    }
    await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> true);
    assertThat(fake.maxConcurrent()).as("probes at once").isLessThanOrEqualTo(HealthConfig.DEFAULT_CONCURRENCY);
    // 12 targets of 250 ms each on 4 threads: about 4 x 1500/250 = 24 probes, not 12 x 1500/20.
    int total = fake.requests("dashboard") + fake.requests("scheduler") + fake.requests("analytics")
        + fake.requests("renderer");
    assertThat(total).isBetween(12, 30);
  }

  @Test
  void aRestartedOperatorTakesItsFirstRecordsFromTheStatus() {
    HealthProbeStatus h = new HealthProbeStatus();
    h.result = "Healthy";
    h.httpCode = 200;
    h.latencyMillis = 12L;
    h.version = "2025_10.1";
    h.message = "";
    h.time = "2026-01-01T10:00:00Z";
    stack.setStatus(new PiStackStatus());
    ComponentStatus cs = new ComponentStatus();
    cs.health = h;
    stack.getStatus().components.put("dashboard", cs);
    start(every(50));
    monitor.onResourceCreated(stack);
    monitor.serving(id, Set.of("dashboard"));
    int probes = probed.size();
    await().atMost(Duration.ofSeconds(5)).until(() -> probed.size() > probes + 3);
    assertThat(events).as("the same outcome as before the restart").isEmpty();
    assertThat(ProbeRecords.toStatus(monitor.snapshot(id).get("dashboard").orElseThrow())).isEqualTo(h);
  }

  private static HealthProbeStatus health(boolean healthy, Integer code, String version, String message, String time) {
    HealthProbeStatus h = new HealthProbeStatus();
    h.result = healthy ? ProbeRecords.HEALTHY : ProbeRecords.UNHEALTHY;
    h.httpCode = code;
    h.latencyMillis = 5L;
    h.version = version;
    h.message = message;
    h.time = time;
    return h;
  }

  private static PiStack withHealth(PiStack stack, HealthProbeStatus dashboard, HealthProbeStatus database) {
    PiStack copy = io.fabric8.kubernetes.client.utils.Serialization.clone(stack);
    copy.setStatus(new PiStackStatus());
    ComponentStatus d = new ComponentStatus();
    d.health = dashboard;
    copy.getStatus().components.put("dashboard", d);
    ComponentStatus db = new ComponentStatus();
    db.health = database;
    copy.getStatus().components.put(ProbeTarget.DATABASE, db);
    return copy;
  }

  /**
   * Issue 11: a new leader reported the probes it held as a standby, seeded from the status it saw
   * when it started (possibly hours old), and its own standby probes of an external database.
   * Now a standby probes nothing, and gaining leadership takes the records from the status the
   * previous leader last wrote, then probes at once.
   */
  @Test
  void aNewLeaderReportsTheLatestStatusThenItsOwnProbesNeverWhatItSawAsAStandby() {
    PiStack external = Stacks.sample("external-database.yaml", "ns");
    id = ResourceID.fromResource(external);
    // What the standby saw when it started: dashboard healthy on an old version, database down.
    PiStack hoursAgo = withHealth(external, health(true, 200, "2025_01", "", "2026-01-01T08:00:00Z"),
        health(false, null, null, "connection refused", "2026-01-01T08:00:00Z"));
    // What the leader wrote since: dashboard failing, database back.
    HealthProbeStatus dashboardNow = health(false, 503, null, "HTTP 503", "2026-01-01T11:00:00Z");
    HealthProbeStatus databaseNow = health(true, null, null, "", "2026-01-01T11:30:00Z");
    PiStack latest = withHealth(external, dashboardNow, databaseNow);
    fake.databaseUp(true);
    fake.set("dashboard", new Behaviour(503, "", 0));
    start(every(50));
    monitor.leading(false);
    monitor.onResourceCreated(hoursAgo);
    await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
    assertThat(probed).as("a standby probes nothing, not even an external database").isEmpty();
    monitor.onResourceUpdated(latest, hoursAgo);

    monitor.leading(true);
    StackHealth onLeadership = monitor.snapshot(id);
    assertThat(onLeadership.get("dashboard").map(ProbeRecords::toStatus)).contains(dashboardNow);
    assertThat(onLeadership.get(ProbeTarget.DATABASE).map(ProbeRecords::toStatus)).contains(databaseNow);
    assertThat(onLeadership.pending()).isEmpty();

    // The database is probed at once; the same outcome as the status: no reconcile, no rewrite.
    await().atMost(Duration.ofSeconds(5)).until(() -> !probed.isEmpty());
    assertThat(events).isEmpty();
    assertThat(monitor.snapshot(id).get(ProbeTarget.DATABASE).map(ProbeRecords::toStatus)).contains(databaseNow);

    // The first reconcile's baseline probes the serving dashboard at once, not an interval later.
    fake.set("dashboard", Behaviour.ok("2026_01"));
    monitor.serving(id, Set.of("dashboard"));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
    ProbeRecord mine = monitor.snapshot(id).get("dashboard").orElseThrow();
    assertThat(mine.result().healthy()).isTrue();
    assertThat(mine.result().version()).isEqualTo("2026_01");
    assertThat(monitor.snapshot(id).pending()).as("a failover is no start of serving").isEmpty();
  }

  @Test
  void recordsOnLeadershipAreExactlyWhatTheStatusSays() {
    List<ProbeTarget> targets = List.of(new ProbeTarget("dashboard", "ns", "pi-dashboard", 8224, "/pi/version", true),
        new ProbeTarget("renderer", "ns", "pi-renderer", 9915, "/version", true));
    HealthProbeStatus h = health(true, 200, "2026_01", "", "2026-01-01T10:00:00Z");
    PiStackStatus status = withHealth(stack, h, null).getStatus();
    java.util.Map<String, ProbeRecord> records = TrackedStack.recordsOnLeadership(targets, status);
    assertThat(records.keySet()).containsExactly("dashboard");
    assertThat(ProbeRecords.toStatus(records.get("dashboard"))).isEqualTo(h);
    assertThat(records.get("dashboard").target()).isEqualTo(targets.get(0));
    assertThat(TrackedStack.recordsOnLeadership(targets, null)).isEmpty();
  }

  @Test
  void turnedOffItProbesNothing() {
    // Positive control: the same stack, serving the same component, with probing on is probed
    // within the window (the serving baseline probes at once; the interval is longer than the test).
    // A timeout far above 400 ms: this is often the JVM's first HTTP exchange, which took over 400 ms
    // on a loaded machine, so the one probe timed out before its request reached the fake.
    start(every(60_000).withTimeout(Duration.ofSeconds(10)));
    long started = System.nanoTime();
    monitor.onResourceCreated(stack);
    monitor.serving(id, Set.of("dashboard"));
    await().atMost(Duration.ofSeconds(15)).until(() -> fake.requests("dashboard") > 0);
    Duration tookOn = Duration.ofNanos(System.nanoTime() - started);
    await().atMost(Duration.ofSeconds(15)).until(() -> !probed.isEmpty());
    assertThat(probed.get(0).healthy()).isTrue();
    monitor.stop();
    // The window below is at least what the probing monitor needed on this machine, now.
    Duration window = tookOn.compareTo(Duration.ofMillis(200)) > 0 ? tookOn : Duration.ofMillis(200);

    fake.close();
    fake = new FakeComponents().allOk("2025_10.1");
    probed.clear();
    start(HealthConfig.disabled());
    monitor.onResourceCreated(stack);
    monitor.serving(id, Set.of("dashboard"));
    assertThat(monitor.snapshot(id)).isEqualTo(StackHealth.DISABLED);
    assertThat(monitor.getSecondaryResources(stack)).containsExactly(StackHealth.DISABLED);
    await().pollDelay(window).atMost(window.plusSeconds(1)).until(() -> true);
    assertThat(fake.requests("dashboard")).as("requests within %s ms", window.toMillis()).isZero();
    assertThat(probed).isEmpty();
  }

  @Test
  void aDeletedStackIsForgotten() {
    start(every(50));
    monitor.onResourceCreated(stack);
    monitor.serving(id, Set.of());
    monitor.serving(id, Set.of("dashboard"));
    await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 1);
    monitor.onResourceDeleted(stack);
    assertThat(monitor.snapshot(id)).isEqualTo(StackHealth.NONE_YET);
    int requests = fake.requests("dashboard");
    await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> true);
    assertThat(fake.requests("dashboard")).isLessThanOrEqualTo(requests + 1);
  }
}
