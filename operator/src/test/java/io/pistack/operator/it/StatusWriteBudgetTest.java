package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pistack.operator.api.v1alpha1.IngressSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.health.HealthConfig;
import io.pistack.operator.it.FakeComponents.Behaviour;
import io.pistack.operator.runtime.RuntimeConfig;
import io.pistack.operator.status.ConditionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Counts the operator's status writes (PATCH .../pistacks/pi/status) over a scripted scenario:
 * spec generations, kubelet updates and health-probe flaps, with the probes running every 200 ms.
 * Noise (a kubelet rewriting unchanged status, a pod's restart count, probe latency, a single
 * failed probe) must cost no write; each real change one.
 */
class StatusWriteBudgetTest {
  static final String NS = "budget";
  static final Duration WAIT = Duration.ofSeconds(30);
  static final Duration QUIET = Duration.ofMillis(800);
  static final List<String> PROBED = List.of("dashboard", "scheduler", "analytics", "renderer");
  MockCluster cluster;
  FakeComponents fake;
  StatusAssertions pi;
  RuntimeConfig config;
  final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
  int noiseRound;

  @BeforeEach
  void start() {
    fake = new FakeComponents().allOk("2025_10.1");
    config = RuntimeConfig.defaults().withHealth(HealthConfig.defaults().withInterval(Duration.ofMillis(200))
        .withTimeout(Duration.ofMillis(500)).withFailureThreshold(2).withResolver(fake.resolver()));
    cluster = new MockCluster().startOperator(config);
    Stacks.licenceSecret(cluster.client, NS);
    pi = new StatusAssertions(cluster.client, NS, "pi");
    // Every status the operator writes, summarised, so a failure shows what changed.
    watch = cluster.client.resources(PiStack.class).inNamespace(NS).watch(new io.fabric8.kubernetes.client.Watcher<>() {
      @Override
      public void eventReceived(Action action, PiStack s) {
        if (s.getStatus() != null && !s.getStatus().equals(lastSeen)) {
          log.add("  status gen=" + s.getStatus().observedGeneration + " " + diff(lastSeen, s.getStatus()));
          lastSeen = s.getStatus();
        }
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) { }
    });
  }

  io.fabric8.kubernetes.client.Watch watch;
  volatile io.pistack.operator.api.v1alpha1.PiStackStatus lastSeen;

  /** The fields of the second status that differ from the first, for the log. */
  static String diff(Object a, Object b) {
    var mapper = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper();
    com.fasterxml.jackson.databind.JsonNode x = a == null ? mapper.createObjectNode() : mapper.valueToTree(a);
    com.fasterxml.jackson.databind.JsonNode y = mapper.valueToTree(b);
    List<String> out = new ArrayList<>();
    diff("", x, y, out);
    return String.join(", ", out);
  }

  private static void diff(String path, com.fasterxml.jackson.databind.JsonNode x,
      com.fasterxml.jackson.databind.JsonNode y, List<String> out) {
    if (x != null && x.equals(y)) {
      return;
    }
    if (y != null && y.isObject() && x != null && x.isObject()) {
      y.fieldNames().forEachRemaining(f -> diff(path + "." + f, x.get(f), y.get(f), out));
    } else if (y != null && y.isArray() && x != null && x.isArray()) {
      for (int i = 0; i < y.size(); i++) {
        diff(path + "[" + (y.get(i).has("type") ? y.get(i).get("type").asText() : i) + "]",
            i < x.size() ? x.get(i) : null, y.get(i), out);
      }
    } else {
      out.add(path + "=" + y);
    }
  }

  @AfterEach
  void stop() {
    watch.close();
    synchronized (log) {
      log.forEach(System.out::println);
    }
    cluster.close();
    fake.close();
  }

  @Test
  void statusIsWrittenOnlyWhenItChanges() {
    cluster.client.resource(Stacks.sample("minimal.yaml", NS)).create();
    await().atMost(WAIT).until(() -> deployments().size() == 5);
    Kubelet.startEverything(cluster.client, NS);
    await().atMost(WAIT).until(() -> ready() && versionsAre("2025_10.1"));
    quiet();

    // 1. Nothing changes but noise: zero writes.
    int before = statusWrites();
    for (int i = 0; i < 3; i++) {
      noise();
      quiet();
    }
    assertThat(statusWrites() - before).as("status writes while only noise happened").isZero();

    // 2. Spec generations that change the status once each (pause/resume, ingress URL), with noise.
    int generationsBefore = statusWrites();
    int generations = 0;
    for (int i = 0; i < 6; i++) {
      step("pause", s -> s.getSpec().paused = true, s -> "False/Paused".equals(pi.state(ConditionType.READY.wire())));
      step("resume", s -> s.getSpec().paused = null, s -> ready());
      generations += 2;
    }
    for (String host : List.of("pi.example.com", "bi.example.com", "pi.example.org", "analytics.example.org")) {
      step("ingress " + host, s -> {
        s.getSpec().ingress = new IngressSpec();
        s.getSpec().ingress.enabled = true;
        s.getSpec().ingress.host = host;
      }, s -> ("http://" + host + "/pi").equals(s.getStatus().url));
      generations++;
    }
    int specWrites = statusWrites() - generationsBefore;
    log.add(String.format("spec generations (pause/resume, ingress host): %d, status writes: %d,"
        + " per generation: %.3f", generations, specWrites, specWrites / (double) generations));
    assertThat(specWrites / (double) generations).as("status writes per spec generation").isLessThanOrEqualTo(1.05);

    // 3. Upgrades: a generation, then the kubelet rolls each Deployment, then each component reports
    //    the new version. Every step is one change of status, so one write; the noise none.
    int upgradesBefore = statusWrites();
    int changes = 0;
    int upgrades = 0;
    for (String version : List.of("2026_01", "2026_02")) {
      // Rolling: the kubelet stand-in rolls each Deployment (the mock drains no pods).
      step("version " + version, s -> {
            s.getSpec().version = version;
            s.getSpec().upgrade = new io.pistack.operator.api.v1alpha1.UpgradeSpec();
            s.getSpec().upgrade.strategy = io.pistack.operator.api.v1alpha1.UpgradeSpec.Strategy.Rolling;
          },
          s -> "True/RollingOut".equals(pi.state(ConditionType.PROGRESSING.wire())));
      changes++;
      upgrades++;
      for (Deployment d : deployments()) {
        String type = conditionOf(d);
        action("rolled " + d.getMetadata().getName(), () -> Kubelet.available(cluster.client, d),
            s -> pi.state(type).startsWith("True/"));
        changes++;
      }
      for (String c : PROBED) {
        action(c + " reports " + version, () -> fake.set(c, Behaviour.ok(version)),
            s -> version.equals(s.getStatus().components.get(c).health.version));
        changes++;
      }
      // A probe flap: two failures in a row are news (Degraded), the recovery too.
      action("renderer fails", () -> fake.set("renderer", new Behaviour(503, "", 0)),
          s -> "True/HealthCheckFailed".equals(pi.state(ConditionType.DEGRADED.wire())));
      action("renderer recovers", () -> fake.set("renderer", Behaviour.ok(version)), s -> ready());
      changes += 2;
    }
    int upgradeWrites = statusWrites() - upgradesBefore;
    log.add(String.format("upgrades: %d generations, %d scripted status changes, %d status writes"
        + " (%.3f per change, %.2f per generation)", upgrades, changes, upgradeWrites,
        upgradeWrites / (double) changes, upgradeWrites / (double) upgrades));
    assertThat(upgradeWrites).as("status writes per scripted change").isLessThanOrEqualTo((int) (changes * 1.05));

    // 4. A restarted operator (probes on, records seeded from status) writes nothing at all.
    quiet();
    cluster.stopOperator();
    int writesBefore = cluster.dispatcher.writes().size();
    int probesBefore = fake.requests("dashboard");
    cluster.startOperator(config);
    await().atMost(WAIT).until(() ->
        cluster.reconciles().of(NS, "pi") >= 1 && fake.requests("dashboard") > probesBefore + 3);
    quiet();
    List<String> writes = cluster.dispatcher.writes();
    assertThat(writes.subList(writesBefore, writes.size())).as("writes after a restart").isEmpty();
  }

  /** A spec edit, then the status it should lead to, then noise and a quiet period. */
  private void step(String what, Consumer<PiStack> edit, Predicate<PiStack> expected) {
    action(what, () -> Stacks.edit(cluster.client, NS, "pi", edit), s ->
        s.getStatus().observedGeneration.equals(s.getMetadata().getGeneration()) && expected.test(s));
  }

  private void action(String what, Runnable change, Predicate<PiStack> expected) {
    int before = statusWrites();
    change.run();
    await().atMost(WAIT).until(() -> {
      PiStack s = pi.stack();
      return s.getStatus() != null && expected.test(s);
    });
    noise();
    quiet();
    log.add(what + ": " + (statusWrites() - before) + " status write(s)");
  }

  /**
   * What happens all the time without changing anything the status says: controllers rewriting
   * the same status, a ready container's restart count, probe latency, one failed probe.
   */
  private void noise() {
    noiseRound++;
    Deployment d = deployments().get(noiseRound % 5);
    Deployment fresh = cluster.client.resource(d).get();
    fresh.getStatus().setConditions(List.of());
    cluster.client.resource(fresh).updateStatus();
    Pod pod = cluster.client.pods().inNamespace(NS).withName("pi-renderer-rs1-0").get();
    Kubelet.setContainer(cluster.client, pod, cs -> Kubelet.running(cs).withRestartCount(noiseRound));
    String version = pi.stack().getStatus().components.get("dashboard").health.version;
    fake.set("dashboard", new Behaviour(200, version, noiseRound % 2 == 0 ? 0 : 40));
    if (ready()) {
      fake.failNext("analytics", 1);
    }
  }

  private void quiet() {
    await().pollDelay(QUIET).atMost(QUIET.plusSeconds(1)).until(() -> true);
  }

  private int statusWrites() {
    return (int) cluster.dispatcher.writes().stream().filter(w -> w.startsWith("PATCH ")
        && w.contains("/namespaces/" + NS + "/pistacks/pi/status")).count();
  }

  private boolean ready() {
    return "True/AllComponentsReady".equals(pi.state(ConditionType.READY.wire()));
  }

  private boolean versionsAre(String version) {
    var components = pi.stack().getStatus().components;
    return PROBED.stream().allMatch(c -> components.get(c).health != null
        && version.equals(components.get(c).health.version));
  }

  private static String conditionOf(Deployment d) {
    String part = d.getMetadata().getLabels().get("app.kubernetes.io/component");
    return io.pistack.operator.model.Component.fromPart(part).conditionType();
  }

  private List<Deployment> deployments() {
    return cluster.client.apps().deployments().inNamespace(NS).list().getItems().stream()
        .sorted(java.util.Comparator.comparing(d -> d.getMetadata().getName())).toList();
  }
}
