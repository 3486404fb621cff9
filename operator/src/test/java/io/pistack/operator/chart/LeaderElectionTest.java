package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.pistack.operator.it.MockCluster;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.runtime.LeaderElection;
import io.pistack.operator.runtime.OperatorRuntime;
import io.pistack.operator.runtime.RuntimeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two replicas configured by the HA chart (leader election on, Lease in the release namespace),
 * with the chart's RBAC enforced: one leads, the other is a ready standby; stopping the leader
 * gracefully releases the Lease, so the standby takes over within a few retry periods instead of
 * waiting out the lease duration (60 s here), and then reconciles.
 */
class LeaderElectionTest {
  static final LeaderElection.Timing TIMING =
      new LeaderElection.Timing(Duration.ofSeconds(60), Duration.ofSeconds(40), Duration.ofSeconds(1));

  @Test
  void gracefulStopReleasesTheLeaseAndTheStandbyTakesOver() throws Exception {
    Chart.Rendered rendered = Chart.render(ValueSets.HA);
    RbacEnforcingDispatcher authoriser = new RbacEnforcingDispatcher(RbacCompletenessTest.granted(rendered));
    Container c = rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    RuntimeConfig config = RuntimeConfig.fromEnv(HelmChartTest.env(c));
    assertThat(config.leaderElection()).isTrue();
    AtomicInteger lostByA = new AtomicInteger();
    AtomicInteger lostByB = new AtomicInteger();

    try (MockCluster cluster = new MockCluster(authoriser)) {
      OperatorRuntime a = cluster.newRuntime(config,
          b -> b.identity("replica-a").timing(TIMING).onLostLeadership(lostByA::incrementAndGet)).start();
      await().atMost(Duration.ofSeconds(20)).until(() -> a.leaderElection().orElseThrow().leading());
      assertThat(holder(cluster)).isEqualTo("replica-a");

      OperatorRuntime b = cluster.newRuntime(config,
          x -> x.identity("replica-b").timing(TIMING).onLostLeadership(lostByB::incrementAndGet)).start();
      try {
        assertThat(get(b.httpPort(), "/readyz")).isEqualTo("200 ready (standby)");
        assertThat(get(a.httpPort(), "/readyz")).isEqualTo("200 ready (leader)");
        assertThat(b.metrics().scrape()).contains("pi_operator_leader 0");
        assertThat(a.metrics().scrape()).contains("pi_operator_leader 1");

        Stacks.licenceSecret(cluster.client, "team-x");
        cluster.client.resource(Stacks.sample("minimal.yaml", "team-x")).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> deployments(cluster, "team-x") > 0);

        long stoppedAt = System.nanoTime();
        a.stop();
        assertThat(holder(cluster)).as("released by the graceful stop").isIn("", "replica-b");
        await().atMost(Duration.ofSeconds(15)).until(() -> "replica-b".equals(holder(cluster)));
        Duration takeover = Duration.ofNanos(System.nanoTime() - stoppedAt);
        assertThat(takeover).as("well under the 60 s lease duration").isLessThan(Duration.ofSeconds(15));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.leaderElection().orElseThrow().leading());

        // The new leader reconciles.
        Stacks.licenceSecret(cluster.client, "team-y");
        cluster.client.resource(Stacks.sample("minimal.yaml", "team-y")).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> deployments(cluster, "team-y") > 0);
        assertThat(get(b.httpPort(), "/readyz")).isEqualTo("200 ready (leader)");
      } finally {
        b.stop();
      }
      assertThat(holder(cluster)).isEmpty();
      assertThat(lostByA.get()).as("a graceful stop is not a lost leadership").isZero();
      assertThat(lostByB.get()).isZero();
      assertThat(authoriser.denied()).isEmpty();
    }
  }

  static String holder(MockCluster cluster) {
    Lease lease = cluster.client.resources(Lease.class).inNamespace(Chart.NAMESPACE).withName("pi-operator-leader").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  static Integer deployments(MockCluster cluster, String ns) {
    return cluster.client.apps().deployments().inNamespace(ns).list().getItems().size();
  }

  static String get(int port, String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + " " + r.body().trim();
  }


  /**
   * The real process: `pi-operator run` (the CLI main, in a child JVM) with leader election on;
   * SIGTERM (Process.destroy) runs the shutdown hook, which stops the operator and releases the Lease.
   */
  @Test
  void sigtermReleasesTheLease() throws Exception {
    Chart.Rendered rendered = Chart.render(ValueSets.HA);
    RbacEnforcingDispatcher authoriser = new RbacEnforcingDispatcher(RbacCompletenessTest.granted(rendered));
    try (MockCluster cluster = new MockCluster(authoriser)) {
      java.nio.file.Path kubeconfig = java.nio.file.Path.of("target", "mock-kubeconfig.yaml").toAbsolutePath();
      java.nio.file.Files.writeString(kubeconfig, """
          apiVersion: v1
          kind: Config
          clusters: [{name: mock, cluster: {server: "%s"}}]
          users: [{name: u, user: {}}]
          contexts: [{name: m, context: {cluster: mock, user: u, namespace: default}}]
          current-context: m
          """.formatted(cluster.client.getMasterUrl()));
      ProcessBuilder pb = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-cp", System.getProperty("java.class.path"), "io.pistack.operator.cli.Main", "run")
          .redirectErrorStream(true)
          .redirectOutput(java.nio.file.Path.of("target", "sigterm-operator.log").toFile());
      pb.environment().put("KUBECONFIG", kubeconfig.toString());
      pb.environment().put("HOSTNAME", "replica-proc");
      pb.environment().put("PI_OPERATOR_LEADER_ELECTION", "true");
      pb.environment().put("PI_OPERATOR_LEASE_NAMESPACE", Chart.NAMESPACE);
      pb.environment().put("PI_OPERATOR_HTTP_PORT", String.valueOf(freePort()));
      Process p = pb.start();
      try {
        await().atMost(Duration.ofSeconds(60)).until(() -> "replica-proc".equals(holder(cluster)));
        p.destroy(); // SIGTERM
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        assertThat(holder(cluster)).as("the shutdown hook released the Lease").isEmpty();
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("target", "sigterm-operator.log")))
            .contains("released the Lease");
      } finally {
        p.destroyForcibly();
      }
    }
  }

  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
