package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator, run as in production (default SSA mode), against the mock API server: what only the
 * mock shows (a Deployment under an autoscaler has no replicas at all; the real API server defaults
 * them). What both tiers show is in scenario/ (WhatAStackCreatesTest, EditsReachTheChildrenTest).
 */
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

  private Deployment deployment(String name) {
    return cluster.client.apps().deployments().inNamespace(NS).withName(name).get();
  }
}
