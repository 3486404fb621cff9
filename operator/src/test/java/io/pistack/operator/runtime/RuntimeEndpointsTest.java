package io.pistack.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Kubelet;
import io.pistack.operator.it.MockCluster;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.metrics.OperatorMetrics;
import io.pistack.operator.status.ConditionType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator as production wires it, against the mock API server: its one HTTP port serves
 * /healthz, /readyz and /metrics, and the metrics pass `promtool check metrics`.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RuntimeEndpointsTest {
  static final String NS = "endpoints";
  MockCluster cluster;
  OperatorRuntime runtime;
  HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  void start() {
    cluster = new MockCluster();
    // As `run` wires it: JVM and process metrics included, so promtool checks those too.
    // Probes off (the mock has no cluster DNS); probe metrics are fed by hand below where needed.
    runtime = cluster.newRuntime(RuntimeConfig.defaults().withHealth(io.pistack.operator.health.HealthConfig.disabled()), b -> b.metrics(new OperatorMetrics().withJvmMetrics()))
        .start();
    Stacks.licenceSecret(cluster.client, NS);
    cluster.client.resource(Stacks.sample("production.yaml", NS)).create();
    Kubelet.markAvailableOnceCreated(cluster.client, NS, 5);
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      PiStack s = cluster.client.resources(PiStack.class).inNamespace(NS).withName("pi").get();
      return s.getStatus() != null && io.pistack.operator.status.Conditions.isTrue(s.getStatus().conditions,
          io.pistack.operator.status.ConditionType.READY.wire());
    });
  }

  @AfterAll
  void stop() {
    runtime.stop();
    cluster.close();
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.httpPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void healthzAndReadyzAnswer200WhenStartedAndInformersHealthy() throws Exception {
    HttpResponse<String> health = get("/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
    HttpResponse<String> ready = get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");
  }

  @Test
  void unknownPathsAndWritesAreRefused() throws Exception {
    assertThat(get("/").statusCode()).isEqualTo(404);
    assertThat(get("/healthz/extra").statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + runtime.httpPort() + "/metrics"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void metricsCarryTheOperatorsOwnAndJosdkSeries() throws Exception {
    HttpResponse<String> metrics = get("/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type")).hasValue(HttpEndpoints.METRICS_CONTENT_TYPE);
    String body = metrics.body();
    assertThat(body)
        .contains("pi_operator_stack_ready{name=\"pi\",namespace=\"" + NS + "\"} 1")
        .contains("pi_operator_stack_hibernated{name=\"pi\",namespace=\"" + NS + "\"} 0")
        .contains("pi_operator_component_healthy{component=\"dashboard\",name=\"pi\",namespace=\"" + NS + "\"} 1")
        .contains("pi_operator_leader 1")
        .contains("operator_sdk_reconciliations_started_total")
        .contains("jvm_memory_used_bytes").contains("process_cpu_usage");
    // Bounded cardinality: JOSDK's series are not per resource.
    assertThat(body.lines().filter(l -> l.startsWith("operator_sdk") && l.contains("name=\"pi\""))).isEmpty();
  }

  @Test
  void metricsPassPromtoolCheckMetrics() throws Exception {
    runtime.metrics().probeLatency("dashboard", Duration.ofMillis(42));
    runtime.metrics().reconcileError("ReconcileFailed");
    String body = get("/metrics").body();
    // Every name the chart's alerts and dashboard use (PrometheusRuleTest) is really exported.
    assertThat(body).contains(OperatorMetrics.STACK_READY + "{", OperatorMetrics.COMPONENT_HEALTHY + "{",
        OperatorMetrics.LEADER + " ", OperatorMetrics.RECONCILE_ERRORS + "_total{",
        OperatorMetrics.PROBE_DURATION + "_seconds_bucket{");
    java.nio.file.Files.writeString(java.nio.file.Path.of("target", "metrics-sample.prom"), body);
    Promtool.Result r = Promtool.run(body, "check", "metrics");
    assertThat(r.exitCode()).as("promtool check metrics:\n" + r.output()).isZero();
  }

  @Test
  void aDeletedStacksSeriesDisappear() throws Exception {
    Stacks.licenceSecret(cluster.client, "gone");
    cluster.client.resource(Stacks.sample("minimal.yaml", "gone")).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> get("/metrics").body().contains("namespace=\"gone\""));
    cluster.client.resources(PiStack.class).inNamespace("gone").withName("pi").delete();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(get("/metrics").body().lines()
        .filter(l -> l.contains("namespace=\"gone\""))).as("the deleted stack's series").isEmpty());
  }
}
