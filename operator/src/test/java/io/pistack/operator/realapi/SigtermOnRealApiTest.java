package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real process (`pi-operator run`, the CLI main in a child JVM) against the real API server,
 * sent SIGTERM at random moments in every state; it must be gone within 5 s each time.
 *
 * <p>Without the fix, a SIGTERM while the operator was still starting (an API server that is
 * unreachable, or slow to list many stacks) waited in the shutdown hook for the whole start:
 * the hook's stop() and start() shared one lock, and JOSDK's start holds its controllers too; and
 * a stop waited up to 15 s for running reconciles.
 */
class SigtermOnRealApiTest {
  static final Duration LIMIT = Duration.ofSeconds(5);
  static final int STACKS = 30;
  private static final Random RANDOM = new Random();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private static final List<String> RESULTS = new ArrayList<>();

  private static KubernetesClient admin;
  private static String ns;
  private static Path dir;
  private static int seq;

  @BeforeAll
  static void cluster() throws IOException {
    RealApiServer api = RealApiServer.get();
    admin = api.client();
    ns = "sigterm-" + System.nanoTime() % 100000;
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Stacks.licenceSecret(admin, ns);
    dir = Files.createDirectories(Path.of("target", "sigterm").toAbsolutePath());
    Files.writeString(dir.resolve("kubeconfig"), api.kubeconfig());
    Files.writeString(dir.resolve("unreachable-kubeconfig"), """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: not-a-real-token}}]
        contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
        current-context: x
        """);
    for (int i = 0; i < STACKS; i++) {
      PiStack s = Stacks.sample("minimal.yaml", ns);
      s.getMetadata().setName("pi" + i);
      admin.resource(s).create();
    }
  }

  @AfterAll
  static void cleanup() {
    System.out.println("SIGTERM → exit, per run:\n  " + String.join("\n  ", RESULTS));
    if (admin != null) {
      admin.namespaces().withName(ns).delete();
      admin.close();
    }
  }

  /** API server unreachable: the start never completes; SIGTERM at a random moment of it. */
  @Test
  void unreachableApiServer() throws Exception {
    for (int i = 0; i < 6; i++) {
      Child c = new Child("unreachable", dir.resolve("unreachable-kubeconfig"), false, "x");
      await().atMost(RealApiServer.timeout()).until(c::starting);
      Thread.sleep(RANDOM.nextInt(2500));
      assertThat(c.alive()).as("still trying to start").isTrue();
      assertThat(c.ready()).as("not started").isFalse();
      c.terminate();
    }
  }

  /**
   * 30 stacks: every start lists them and reconciles each (and the first builds them all).
   * SIGTERM at a random moment from the start through the reconcile storm; at least one lands
   * while reconciles are running (JOSDK's started counter ahead of its finished ones).
   */
  @Test
  void midReconcileWithManyStacks() throws Exception {
    int inFlightSeen = 0;
    for (int i = 0; i < 6; i++) {
      Child c = new Child("reconciling", dir.resolve("kubeconfig"), false, "x");
      // Bumps every stack so that this start has real work to do.
      String mark = "run-" + i;
      for (int s = 0; s < STACKS; s++) {
        Stacks.edit(admin, ns, "pi" + s, p -> {
          if (p.getMetadata().getAnnotations() == null) {
            p.getMetadata().setAnnotations(new java.util.HashMap<>());
          }
          p.getMetadata().getAnnotations().put("sigterm-test", mark);
        });
      }
      if (i % 2 == 0) {
        await().atMost(RealApiServer.timeout()).until(() -> c.started() > 0);
        Thread.sleep(RANDOM.nextInt(600));
      } else {
        Thread.sleep(500 + RANDOM.nextInt(5000));
      }
      if (c.inFlight() > 0) {
        inFlightSeen++;
      }
      c.terminate();
    }
    assertThat(inFlightSeen).as("SIGTERMs that landed with reconciles running").isPositive();
  }

  /** Started, every stack reconciled, nothing to do. */
  @Test
  void idle() throws Exception {
    for (int i = 0; i < 3; i++) {
      Child c = new Child("idle", dir.resolve("kubeconfig"), false, "x");
      await().atMost(RealApiServer.timeout()).until(() -> c.ready() && c.finished() >= STACKS);
      Thread.sleep(RANDOM.nextInt(1000));
      c.terminate();
    }
  }

  /** Two replicas with leader election: the leader and the standby each get SIGTERM, in random order. */
  @Test
  void leaderAndStandby() throws Exception {
    for (int i = 0; i < 3; i++) {
      String lease = "lease-" + i;
      Child a = new Child("elect", dir.resolve("kubeconfig"), true, lease + "-a", lease);
      Child b = new Child("elect", dir.resolve("kubeconfig"), true, lease + "-b", lease);
      await().atMost(RealApiServer.timeout()).until(() -> holder(lease) != null && a.ready() && b.ready());
      Child leader = holder(lease).equals(a.identity) ? a : b;
      Child standby = leader == a ? b : a;
      Thread.sleep(RANDOM.nextInt(1500));
      leader.state = "leader";
      standby.state = "standby";
      if (RANDOM.nextBoolean()) {
        leader.terminate();
        standby.terminate();
      } else {
        standby.terminate();
        leader.terminate();
      }
    }
  }

  private static String holder(String lease) {
    Lease l = admin.resources(Lease.class).inNamespace(ns).withName(lease).get();
    String h = l == null || l.getSpec() == null ? null : l.getSpec().getHolderIdentity();
    return h == null || h.isEmpty() ? null : h;
  }

  /** `pi-operator run` in a child JVM, watching the test's namespace, active probes off. */
  private static final class Child {
    final Process process;
    final Path log;
    final String identity;
    final int port;
    String state;

    Child(String state, Path kubeconfig, boolean elect, String identity, String... lease) throws IOException {
      this.state = state;
      this.identity = identity;
      this.log = dir.resolve((++seq) + "-" + state + ".log");
      try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
        port = s.getLocalPort();
      }
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          "io.pistack.operator.cli.Main", "run")
          .redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().remove("JAVA_TOOL_OPTIONS");
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.environment().put("HOSTNAME", identity);
      pb.environment().put("PI_OPERATOR_WATCH_NAMESPACES", ns);
      pb.environment().put("PI_OPERATOR_PROBE_INTERVAL", "off");
      pb.environment().put("PI_OPERATOR_HTTP_PORT", String.valueOf(port));
      if (elect) {
        pb.environment().put("PI_OPERATOR_LEADER_ELECTION", "true");
        pb.environment().put("PI_OPERATOR_LEASE_NAMESPACE", ns);
        pb.environment().put("PI_OPERATOR_LEASE_NAME", lease[0]);
      }
      process = pb.start();
    }

    /** Past the shutdown hook's installation: the endpoints are up, the operator is starting. */
    boolean starting() throws IOException {
      return Files.readString(log).contains("serving /healthz");
    }

    boolean alive() {
      return process.isAlive();
    }

    boolean ready() {
      return get("/readyz").startsWith("200");
    }

    double started() {
      return metric("operator_sdk_reconciliations_started_total");
    }

    double finished() {
      return metric("operator_sdk_reconciliations_success_total")
          + metric("operator_sdk_reconciliations_failed_total");
    }

    /** Reconciles started and not yet finished, at this moment (-1 when the endpoint did not answer). */
    double inFlight() {
      String body = get("/metrics");
      if (!body.startsWith("200")) {
        return -1;
      }
      return sum(body, "operator_sdk_reconciliations_started_total")
          - sum(body, "operator_sdk_reconciliations_success_total")
          - sum(body, "operator_sdk_reconciliations_failed_total");
    }

    private double metric(String name) {
      return sum(get("/metrics"), name);
    }

    private static double sum(String body, String name) {
      double total = 0;
      for (String line : body.split("\n")) {
        if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
          total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return total;
    }

    private String get(String path) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
      } catch (IOException e) {
        return "down";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "down";
      }
    }

    /** SIGTERM, then the exit within the limit: the shutdown hook ran and the JVM is gone. */
    void terminate() throws Exception {
      assertThat(process.isAlive()).as(state + ": running before SIGTERM, see " + log).isTrue();
      boolean hooked = starting();
      long begin = System.nanoTime();
      process.destroy(); // SIGTERM
      boolean exited = process.waitFor(LIMIT.toMillis() + 5000, TimeUnit.MILLISECONDS);
      long millis = (System.nanoTime() - begin) / 1_000_000;
      try {
        synchronized (RESULTS) {
          RESULTS.add(state + (hooked ? "" : " (before the hook was installed)") + ": "
              + (exited ? "exit " + process.exitValue() + " after " + millis + " ms"
                  : "still running after " + millis + " ms"));
        }
        assertThat(exited).as(state + ": exited after SIGTERM, see " + log).isTrue();
        assertThat(Duration.ofMillis(millis)).as(state + ": time from SIGTERM to exit, see " + log)
            .isLessThan(LIMIT);
        assertThat(process.exitValue()).as(state + ": exit code of a SIGTERM").isEqualTo(143);
        if (hooked) {
          assertThat(Files.readString(log)).as("the shutdown hook ran").contains("shutting down");
        }
      } finally {
        process.destroyForcibly();
      }
    }
  }
}
