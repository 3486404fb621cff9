package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The operator, run as in production (default SSA mode), against the mock API server. */
class ReconcileLifecycleTest {
  static final String NS = "pi-test";
  MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster().startOperator();
    Stacks.licenceSecret(cluster.client, NS);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void createsEveryObjectWithOwnersAndLeavesDataUnowned() {
    PiStack stack = cluster.client.resource(Stacks.sample("minimal.yaml", NS)).create();
    String uid = stack.getMetadata().getUid();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(deploymentNames()).containsExactlyInAnyOrder(
            "pi-dashboard", "pi-scheduler", "pi-analytics", "pi-renderer", "pi-excel-reader"));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(cluster.client.services().inNamespace(NS).list().getItems()).extracting(s -> s.getMetadata().getName())
          .containsExactlyInAnyOrder("pi-dashboard", "pi-dashboard-private", "pi-scheduler", "pi-analytics",
              "pi-renderer", "pi-excel-reader", "pi-db");
      assertThat(cluster.client.network().networkPolicies().inNamespace(NS).list().getItems())
          .extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("pi-dashboard", "pi-scheduler",
              "pi-analytics", "pi-renderer", "pi-excel-reader", "pi-db"); // default-deny, one per component
      assertThat(cluster.client.apps().statefulSets().inNamespace(NS).withName("pi-db").get()).isNotNull();
      assertThat(cluster.client.policy().v1().podDisruptionBudget().inNamespace(NS).withName("pi-dashboard").get())
          .isNotNull();
    });

    var dashboard = deployment("pi-dashboard");
    var container = dashboard.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("ghcr.io/pi-cr/server:2025_10.1");
    assertThat(dashboard.getSpec().getReplicas()).isEqualTo(3);
    assertThat(dashboard.getSpec().getTemplate().getSpec().getEnableServiceLinks()).isFalse();
    assertThat(container.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PI_LICENCE");
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-licence");
    });
    assertThat(container.getEnv()).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PI_DB_PASSWORD");
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-db-credentials");
    });
    var scheduler = deployment("pi-scheduler");
    assertThat(scheduler.getSpec().getReplicas()).isEqualTo(1);
    assertThat(scheduler.getSpec().getStrategy().getType()).isEqualTo("Recreate");

    for (HasMetadata owned : List.<HasMetadata>of(dashboard, scheduler,
        cluster.client.services().inNamespace(NS).withName("pi-renderer").get(),
        cluster.client.apps().statefulSets().inNamespace(NS).withName("pi-db").get())) {
      assertThat(owned.getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid).containsExactly(uid);
    }

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var pvc = cluster.client.persistentVolumeClaims().inNamespace(NS).withName("pi-shared").get();
      assertThat(pvc).isNotNull();
      assertThat(pvc.getMetadata().getOwnerReferences()).isEmpty();
      assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("5Gi");
      var secret = cluster.client.secrets().inNamespace(NS).withName("pi-db-credentials").get();
      assertThat(secret).isNotNull();
      assertThat(secret.getMetadata().getOwnerReferences()).isEmpty();
    });

    // Deleting the PiStack: the data has no owner, so no garbage collector would take it.
    cluster.client.resource(stack).delete();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        cluster.client.resources(PiStack.class).inNamespace(NS).withName("pi").get() == null);
    assertThat(cluster.client.persistentVolumeClaims().inNamespace(NS).withName("pi-shared").get()).isNotNull();
    assertThat(cluster.client.secrets().inNamespace(NS).withName("pi-db-credentials").get()).isNotNull();
  }

  @Test
  void autoscaledDeploymentsCarryNoReplicasAndGetAnHpa() {
    PiStack stack = Stacks.sample("minimal.yaml", NS);
    stack.getSpec().renderer = new ScalableComponentSpec();
    stack.getSpec().renderer.autoscaling = new AutoscalingSpec();
    stack.getSpec().renderer.autoscaling.enabled = true;
    stack.getSpec().renderer.autoscaling.maxReplicas = 5;
    cluster.client.resource(stack).create();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HorizontalPodAutoscaler hpa = cluster.client.autoscaling().v2().horizontalPodAutoscalers()
          .inNamespace(NS).withName("pi-renderer").get();
      assertThat(hpa).isNotNull();
      assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(5);
      assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("pi-renderer");
      Deployment renderer = deployment("pi-renderer");
      assertThat(renderer).isNotNull();
      assertThat(renderer.getSpec().getReplicas()).isNull();
    });
    assertThat(cluster.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).list().getItems())
        .hasSize(1);
  }

  private List<String> deploymentNames() {
    return cluster.client.apps().deployments().inNamespace(NS).list().getItems().stream()
        .map(d -> d.getMetadata().getName()).toList();
  }

  private Deployment deployment(String name) {
    return cluster.client.apps().deployments().inNamespace(NS).withName(name).get();
  }
}
