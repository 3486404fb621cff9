package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.health.HealthConfig;
import io.pistack.operator.it.FakeComponents.Behaviour;
import io.pistack.operator.runtime.RuntimeConfig;
import io.pistack.operator.status.ConditionType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The status follows what a kubelet and the components' health endpoints report. The kubelet is
 * played by the test (it writes Deployment and Pod status); the endpoints are a real local HTTP
 * server the operator's probes reach through an injected resolver.
 */
class HealthStatusTest {
  static final String NS = "health";
  static final Duration WAIT = Duration.ofSeconds(30);
  MockCluster cluster;
  FakeComponents fake;
  StatusAssertions pi;

  @BeforeEach
  void start() {
    fake = new FakeComponents().allOk("2025_10.1");
    fake.databaseUp(true);
    cluster = new MockCluster().startOperator(RuntimeConfig.defaults().withHealth(HealthConfig.defaults()
        .withInterval(Duration.ofMillis(200)).withTimeout(Duration.ofMillis(500)).withResolver(fake.resolver())));
    Stacks.licenceSecret(cluster.client, NS);
    pi = new StatusAssertions(cluster.client, NS, "pi");
  }

  @AfterEach
  void stop() {
    cluster.close();
    fake.close();
  }

  @Test
  void podFaultsAndFailingEndpointsMakeTheStackDegradedAndItRecovers() {
    cluster.client.resource(Stacks.sample("minimal.yaml", NS)).create();
    await().atMost(WAIT).until(() -> deployments().size() == 5);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("False/ComponentsNotReady");
      assertThat(pi.state(ConditionType.PROGRESSING.wire())).isEqualTo("True/RollingOut");
      assertThat(pi.state(ConditionType.DEGRADED.wire())).isEqualTo("False/AsExpected");
      assertThat(pi.state("DashboardReady")).isEqualTo("False/RollingOut");
      assertThat(pi.events()).anyMatch(e -> e.startsWith("Normal Created: creating the Pi stack, version 2025_10.1"));
    });

    Kubelet.startEverything(cluster.client, NS);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady");
      assertThat(pi.state(ConditionType.PROGRESSING.wire())).isEqualTo("False/RolloutComplete");
      assertThat(pi.state(ConditionType.DATABASE_READY.wire())).isEqualTo("True/EmbeddedReady");
      ComponentStatus dashboard = pi.stack().getStatus().components.get("dashboard");
      assertThat(dashboard.health.result).isEqualTo("Healthy");
      assertThat(dashboard.health.httpCode).isEqualTo(200);
      assertThat(dashboard.health.version).isEqualTo("2025_10.1");
      assertThat(pi.message("DashboardReady")).isEqualTo("dashboard: 3/3 ready, reports version 2025_10.1");
      assertThat(pi.stack().getStatus().dashboardReplicas).isEqualTo("3/3");
      assertThat(pi.events()).anyMatch(e -> e.startsWith("Normal Ready:"));
    });
    assertThat(fake.requests("dashboard")).as("the dashboard is probed on /pi/version").isPositive();

    // A dashboard pod crash-loops: the kubelet reports it, the Deployment loses an available replica.
    Pod crashing = pod("pi-dashboard-rs1-0");
    Kubelet.setContainer(cluster.client, crashing, cs -> Kubelet.crashLooping(cs, 1, "Error"));
    Kubelet.replicas(cluster.client, deployment("pi-dashboard"), 2, 3, 2);
    String crashMessage = "dashboard: pod pi-dashboard-rs1-0 container dashboard is in CrashLoopBackOff"
        + " (last exit code 1, Error); see kubectl logs --previous";
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.DEGRADED.wire())).isEqualTo("True/CrashLoopBackOff");
      assertThat(pi.message(ConditionType.DEGRADED.wire())).isEqualTo(crashMessage);
      assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("False/CrashLoopBackOff");
      assertThat(pi.state("DashboardReady")).isEqualTo("False/CrashLoopBackOff");
      assertThat(pi.state("RendererReady")).isEqualTo("True/Available");
      assertThat(pi.stack().getStatus().dashboardReplicas).isEqualTo("2/3");
      assertThat(pi.events()).contains("Warning Degraded: CrashLoopBackOff: " + crashMessage);
    });

    Kubelet.setContainer(cluster.client, crashing, Kubelet::running);
    Kubelet.replicas(cluster.client, deployment("pi-dashboard"), 3, 3, 3);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady");
      assertThat(pi.state(ConditionType.DEGRADED.wire())).isEqualTo("False/AsExpected");
      assertThat(pi.events()).contains("Normal Recovered: no longer degraded (was CrashLoopBackOff)");
    });

    // The renderer's pods are ready, but its endpoint answers 503 through the Service.
    fake.set("renderer", new Behaviour(503, "", 0));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state("RendererReady")).isEqualTo("False/HealthCheckFailed");
      assertThat(pi.state(ConditionType.DEGRADED.wire())).isEqualTo("True/HealthCheckFailed");
      assertThat(pi.message(ConditionType.DEGRADED.wire())).isEqualTo(
          "renderer: pods are ready but GET /version on Service pi-renderer:9915 failed: HTTP 503");
      ComponentStatus renderer = pi.stack().getStatus().components.get("renderer");
      assertThat(renderer.health.result).isEqualTo("Unhealthy");
      assertThat(renderer.health.httpCode).isEqualTo(503);
      assertThat(renderer.health.message).isEqualTo("HTTP 503");
    });
    fake.set("renderer", Behaviour.ok("2025_10.1"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady"));

    // Analytics answers too slowly: the probe's timeout turns that into a failure.
    fake.set("analytics", new Behaviour(200, "2025_10.1", 2_000));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state("AnalyticsReady")).isEqualTo("False/HealthCheckFailed");
      assertThat(pi.message(ConditionType.DEGRADED.wire())).isEqualTo(
          "analytics: pods are ready but GET /version on Service pi-analytics:9918 failed: timed out after 500ms");
    });
    fake.set("analytics", Behaviour.ok("2025_10.1"));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady");
      assertThat(pi.events()).contains("Normal Recovered: no longer degraded (was HealthCheckFailed)");
    });
  }

  @Test
  void anUpgradeIsConfirmedByTheVersionTheComponentsReport() {
    cluster.client.resource(Stacks.sample("minimal.yaml", NS)).create();
    await().atMost(WAIT).until(() -> deployments().size() == 5);
    Kubelet.startEverything(cluster.client, NS);
    await().atMost(WAIT).untilAsserted(() -> assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady"));

    // The rolling strategy: old and new dashboard pods side by side, as this test needs (the drained
    // default is judged on the real API server, UpgradeDrainOnRealApiTest: the mock has no controllers).
    Stacks.edit(cluster.client, NS, "pi", s -> {
      s.getSpec().version = "2026_01";
      s.getSpec().upgrade = new io.pistack.operator.api.v1alpha1.UpgradeSpec();
      s.getSpec().upgrade.strategy = io.pistack.operator.api.v1alpha1.UpgradeSpec.Strategy.Rolling;
    });
    await().atMost(WAIT).untilAsserted(() -> {
      PiStack s = pi.stack();
      assertThat(s.getStatus().observedGeneration).isEqualTo(s.getMetadata().getGeneration());
      assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("False/ComponentsNotReady");
      assertThat(pi.state(ConditionType.PROGRESSING.wire())).isEqualTo("True/RollingOut");
      assertThat(pi.condition(ConditionType.READY.wire()).getObservedGeneration()).isEqualTo(2L);
      assertThat(pi.events()).anyMatch(e -> e.startsWith("Normal Upgrading: rolling out version 2026_01: ")
          && e.contains("dashboard 2025_10.1 → 2026_01") && e.contains("analytics 2025_10.1 → 2026_01"));
    });

    // The new dashboard pod cannot pull its image: ErrImagePull and ImagePullBackOff read the same.
    Pod surge = Kubelet.runPod(cluster.client, deployment("pi-dashboard"), "rs2-0");
    Kubelet.setContainer(cluster.client, surge, cs -> Kubelet.waiting(cs, "ErrImagePull", "rpc error: not found"));
    String pullMessage = "dashboard: pod pi-dashboard-rs2-0 container dashboard cannot pull image"
        + " ghcr.io/pi-cr/server:2026_01; check spec.version, spec.image.registry and spec.image.pullSecrets";
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.DEGRADED.wire())).isEqualTo("True/ImagePullBackOff");
      assertThat(pi.message(ConditionType.DEGRADED.wire())).isEqualTo(pullMessage);
      assertThat(pi.state(ConditionType.PROGRESSING.wire())).as("the Deployment is still trying").isEqualTo("True/RollingOut");
    });
    long backOff = System.nanoTime();
    Kubelet.setContainer(cluster.client, surge, cs -> Kubelet.waiting(cs, "ImagePullBackOff", "Back-off pulling image"));
    // A reconcile that started after the change (the pod event triggers one) ran to the end first.
    await().atMost(WAIT).until(() -> cluster.reconciles().completedSince(NS, "pi", backOff));
    assertThat(pi.message(ConditionType.DEGRADED.wire())).isEqualTo(pullMessage);

    // The image gets pulled; the rollout completes. The endpoints still report the old version.
    Kubelet.setContainer(cluster.client, surge, Kubelet::running);
    deployments().forEach(d -> Kubelet.available(cluster.client, d));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady");
      assertThat(pi.stack().getStatus().components.get("dashboard").health.version).isEqualTo("2025_10.1");
    });
    String readySince = pi.condition(ConditionType.READY.wire()).getLastTransitionTime();

    // New pods answer with the new version: the upgrade is confirmed end to end.
    fake.allOk("2026_01");
    await().atMost(WAIT).untilAsserted(() -> {
      for (String c : List.of("dashboard", "scheduler", "analytics", "renderer")) {
        assertThat(pi.stack().getStatus().components.get(c).health.version).as(c).isEqualTo("2026_01");
      }
      assertThat(pi.message("DashboardReady")).isEqualTo("dashboard: 3/3 ready, reports version 2026_01");
    });
    assertThat(pi.condition(ConditionType.READY.wire()).getLastTransitionTime())
        .as("Ready did not flip, so its lastTransitionTime stays").isEqualTo(readySince);
  }

  @Test
  void aStuckRolloutAndAPausedStackAreReported() {
    cluster.client.resource(Stacks.sample("minimal.yaml", NS)).create();
    await().atMost(WAIT).until(() -> deployments().size() == 5);
    Kubelet.startEverything(cluster.client, NS);
    await().atMost(WAIT).untilAsserted(() -> assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady"));

    Kubelet.replicas(cluster.client, deployment("pi-scheduler"), 0, 0, 0,
        Kubelet.progressDeadlineExceeded("pi-scheduler-5d4f"));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.DEGRADED.wire())).isEqualTo("True/ProgressDeadlineExceeded");
      assertThat(pi.message(ConditionType.DEGRADED.wire())).isEqualTo("scheduler: rollout of Deployment pi-scheduler"
          + " exceeded its progress deadline: ReplicaSet \"pi-scheduler-5d4f\" has timed out progressing.");
      assertThat(pi.state(ConditionType.PROGRESSING.wire())).isEqualTo("False/ProgressDeadlineExceeded");
      assertThat(pi.state("SchedulerReady")).isEqualTo("False/ProgressDeadlineExceeded");
    });

    Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().paused = true);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("False/Paused");
      assertThat(pi.state(ConditionType.PROGRESSING.wire())).isEqualTo("False/Paused");
      assertThat(pi.state(ConditionType.DEGRADED.wire())).as("health is still reported").isEqualTo("True/ProgressDeadlineExceeded");
      assertThat(pi.events()).anyMatch(e -> e.startsWith("Normal Paused:"));
    });

    Kubelet.available(cluster.client, deployment("pi-scheduler"));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.DEGRADED.wire())).isEqualTo("False/AsExpected");
      assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("False/Paused");
    });
    Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().paused = null);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady");
      assertThat(pi.events()).anyMatch(e -> e.startsWith("Normal Resumed:"));
    });
  }

  @Test
  void anExternalDatabaseIsCheckedForCredentialsAndReachability() {
    fake.databaseUp(false);
    cluster.client.resource(Stacks.sample("external-database.yaml", NS)).create();
    await().atMost(WAIT).until(() -> deployments().size() == 4);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.DATABASE_READY.wire())).isEqualTo("False/CredentialsMissing");
      assertThat(pi.message(ConditionType.DATABASE_READY.wire())).isEqualTo("database credentials: Secret pi-db not found");
      assertThat(pi.state(ConditionType.DEGRADED.wire())).isEqualTo("True/CredentialsMissing");
      assertThat(pi.events()).contains("Warning CredentialsMissing: database credentials: Secret pi-db not found");
    });

    // Without the Secret the dashboard cannot start; the kubelet says so, and the status names the pod.
    Pod dashboard = Kubelet.runPod(cluster.client, deployment("pi-dashboard"), "rs1-0");
    Kubelet.setContainer(cluster.client, dashboard,
        cs -> Kubelet.waiting(cs, "CreateContainerConfigError", "secret \"pi-db\" not found"));
    await().atMost(WAIT).untilAsserted(() -> assertThat(pi.message(ConditionType.DEGRADED.wire())).isEqualTo(
        "database credentials: Secret pi-db not found; dashboard: pod pi-dashboard-rs1-0 container dashboard"
            + " is in CreateContainerConfigError: secret \"pi-db\" not found"));

    java.util.Map<String, String> hashBefore = new java.util.HashMap<>();
    List.of("pi-dashboard", "pi-scheduler").forEach(name -> hashBefore.put(name, secretsHash(name)));
    cluster.client.resource(new SecretBuilder().withNewMetadata().withName("pi-db").withNamespace(NS).endMetadata()
        .addToStringData("username", "pi").addToStringData("password", "not-logged").build()).create();
    // The Secret now exists: the dashboard's and scheduler's templates get a new digest (one rollout).
    // Wait for that new spec before the "Deployment controller" reports it available, as the real one would.
    await().atMost(WAIT).until(() -> hashBefore.entrySet().stream()
        .allMatch(e -> secretsHash(e.getKey()) != null && !secretsHash(e.getKey()).equals(e.getValue())));
    Kubelet.setContainer(cluster.client, dashboard, Kubelet::running);
    deployments().forEach(d -> Kubelet.available(cluster.client, d));
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.DATABASE_READY.wire())).isEqualTo("False/DatabaseUnreachable");
      assertThat(pi.message(ConditionType.DATABASE_READY.wire())).isEqualTo("external database"
          + " pi-repo.abc123.eu-west-2.rds.amazonaws.com:3306 is unreachable from the operator: connection refused");
      assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("False/DatabaseUnreachable");
    });

    fake.databaseUp(true);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(pi.state(ConditionType.DATABASE_READY.wire())).isEqualTo("True/Reachable");
      assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("True/AllComponentsReady");
      assertThat(pi.events()).contains("Normal Recovered: no longer degraded (was DatabaseUnreachable)");
    });
    assertThat(String.join("\n", pi.events())).doesNotContain("not-logged");
  }

  private List<Deployment> deployments() {
    return cluster.client.apps().deployments().inNamespace(NS).list().getItems();
  }

  /** The pod template's digest of the Secrets it uses, or null. */
  private String secretsHash(String deployment) {
    var annotations = deployment(deployment).getSpec().getTemplate().getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(io.pistack.operator.model.SecretDigests.ANNOTATION);
  }

  private Deployment deployment(String name) {
    return cluster.client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  private Pod pod(String name) {
    return cluster.client.pods().inNamespace(NS).withName(name).get();
  }
}
