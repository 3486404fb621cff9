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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The real process (`pi-operator run`, the CLI main in a child JVM) against the real API server,
 * sent SIGTERM at random moments in every state (23 times); it must be gone within 5 s each time.
 *
 * <p>Without the fix, a SIGTERM while the operator was still starting (an API server that is
 * unreachable, or slow to list many stacks) waited in the shutdown hook for the whole start:
 * the hook's stop() and start() shared one lock, and JOSDK's start holds its controllers too; and
 * a stop waited up to 15 s for running reconciles.
 */
@Tag("slow")
@Tag("timing") // wall-clock bounds: run alone, after the other classes (operator/pom.xml, docs/testing.md)
class SigtermOnRealApiTest {
  static final Duration LIMIT = Duration.ofSeconds(5);
  static final int STACKS = 30;
  private static final Random RANDOM = new Random();
  private static final List<String> RESULTS = new ArrayList<>();

  private static KubernetesClient admin;
  private static String ns;
  private static Path dir;

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
      await().atMost(RealApiServer.timeout()).until(c.op::starting);
      Thread.sleep(RANDOM.nextInt(2500));
      assertThat(c.op.alive()).as("still trying to start").isTrue();
      assertThat(c.op.ready()).as("not started").isFalse();
      c.terminate();
    }
  }

  /**
   * Started (its first reconciles done), then the API server goes away (a loopback relay in front of it closes its port
   * and cuts every connection: what a dead control plane looks like to the process); once the process
   * reports the outage on /readyz, SIGTERM at a random moment while its informers try to reconnect.
   */
  @Test
  void apiServerGoneAfterTheStart() throws Exception {
    URI server = URI.create(RealApiServer.get().kubeconfig().lines().map(String::strip)
        .filter(l -> l.startsWith("server:")).findFirst().orElseThrow().substring("server:".length()).strip());
    for (int i = 0; i < 2; i++) {
      try (Relay relay = new Relay(server.getPort())) {
        Path kubeconfig = dir.resolve("relay-" + i + "-kubeconfig");
        Files.writeString(kubeconfig, RealApiServer.get().kubeconfig()
            .replace("127.0.0.1:" + server.getPort(), "127.0.0.1:" + relay.port()));
        Child c = new Child("api-gone", kubeconfig, false, "x");
        await().atMost(RealApiServer.timeout()).until(() -> c.op.ready() && c.op.finished() > 0);
        relay.close();
        await().atMost(RealApiServer.timeout()).until(() -> c.op.readyz().startsWith("503"));
        Thread.sleep(RANDOM.nextInt(1500));
        assertThat(c.op.readyz()).as("the API server is still gone").startsWith("503");
        c.terminate();
      }
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
        await().atMost(RealApiServer.timeout()).until(() -> c.op.started() > 0);
        Thread.sleep(RANDOM.nextInt(600));
      } else {
        Thread.sleep(500 + RANDOM.nextInt(5000));
      }
      if (c.op.inFlight() > 0) {
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
      await().atMost(RealApiServer.timeout()).until(() -> c.op.ready() && c.op.finished() >= STACKS);
      Thread.sleep(RANDOM.nextInt(1000));
      c.terminate();
    }
  }

  /** Two replicas with leader election: the leader and the standby each get SIGTERM, in random order. */
  @Test
  void leaderAndStandby() throws Exception {
    for (int i = 0; i < 3; i++) {
      String lease = "lease-" + i;
      // Each started as its pod would be: again if it exits before it has started (see OperatorProcess).
      Child[] started = new Child[2];
      OperatorProcess.startedAsAPod(() -> (started[0] = new Child("elect", dir.resolve("kubeconfig"), true,
          lease + "-a", lease)).op);
      OperatorProcess.startedAsAPod(() -> (started[1] = new Child("elect", dir.resolve("kubeconfig"), true,
          lease + "-b", lease)).op);
      Child a = started[0];
      Child b = started[1];
      await().atMost(RealApiServer.timeout()).until(() -> holder(lease) != null && a.op.ready() && b.op.ready());
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

  /** An {@link OperatorProcess} with the state it is in when signalled. */
  private static final class Child {
    final OperatorProcess op;
    final Process process;
    final Path log;
    final String identity;
    String state;

    Child(String state, Path kubeconfig, boolean elect, String identity, String... lease) throws IOException {
      this.state = state;
      this.identity = identity;
      this.op = new OperatorProcess(dir, state, kubeconfig, ns, identity, elect
          ? Map.of("PI_OPERATOR_LEADER_ELECTION", "true", "PI_OPERATOR_LEASE_NAMESPACE", ns,
              "PI_OPERATOR_LEASE_NAME", lease[0])
          : Map.of());
      this.process = op.process;
      this.log = op.log;
    }

    /** SIGTERM, then the exit within the limit: the shutdown hook ran and the JVM is gone. */
    void terminate() throws Exception {
      assertThat(process.isAlive()).as(state + ": running before SIGTERM, see " + log).isTrue();
      boolean hooked = op.starting();
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

  /**
   * A loopback TCP relay to the API server's port; {@link #close} takes the API server away from
   * whoever connects through it: the port closes (new connections are refused) and every open
   * connection is cut.
   */
  private static final class Relay implements AutoCloseable {
    private final java.net.ServerSocket listener = new java.net.ServerSocket(0, 50,
        java.net.InetAddress.getLoopbackAddress());
    private final java.util.Set<java.net.Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

    Relay(int target) throws IOException {
      Thread accept = new Thread(() -> {
        while (!listener.isClosed()) {
          try {
            java.net.Socket client = listener.accept();
            java.net.Socket upstream = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), target);
            open.add(client);
            open.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
          } catch (IOException e) {
            // closed, or the API server refused: the client sees its connection end
          }
        }
      }, "relay-accept");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    private void pump(java.net.Socket from, java.net.Socket to) {
      Thread t = new Thread(() -> {
        try {
          from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
          // cut
        } finally {
          closeQuietly(from);
          closeQuietly(to);
        }
      }, "relay-pump");
      t.setDaemon(true);
      t.start();
    }

    private static void closeQuietly(java.io.Closeable c) {
      try {
        c.close();
      } catch (IOException e) {
        // already closed
      }
    }

    @Override
    public void close() {
      closeQuietly(listener);
      open.forEach(Relay::closeQuietly);
    }
  }
}
