package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.reconciler.PiStackReconciler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator, in-process and in JOSDK's default SSA mode, against a real kube-apiserver with the
 * real controller-manager (Deployment/ReplicaSet/StatefulSet/garbage-collector/HPA controllers),
 * scheduler and kwok standing in for kubelets.
 */
class OperatorOnRealApiTest {
  static final Duration T = RealApiStack.T;
  RealApiStack env;
  KubernetesClient admin;
  String ns;
  WriteCounter operatorWrites;

  @BeforeEach
  void start() {
    env = new RealApiStack("real", claim("pi-shared", "5Gi", "ReadWriteMany"), claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
    admin = env.admin;
    ns = env.ns;
    operatorWrites = env.operatorWrites;
  }

  @AfterEach
  void stop() {
    env.close();
  }




  @Test
  void aFieldTheOperatorManagesIsRevertedWithOneWrite() {
    admin.resource(env.smallStack()).create();
    await().atMost(T).until(() -> env.deployment("pi-analytics") != null
        && "AllComponentsReady".equals(env.readyReason()));

    int mark = operatorWrites.mark();
    Deployment intruder = new DeploymentBuilder().withNewMetadata().withName("pi-analytics").withNamespace(ns)
        .endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("analytics")
        .withImage("example.com/not-pi:1").endContainer().endSpec().endTemplate().endSpec().build();
    admin.resource(intruder).fieldManager("intruder").forceConflicts().serverSideApply();

    await().atMost(T).untilAsserted(() -> assertThat(env.image("pi-analytics")).isEqualTo("ghcr.io/pi-cr/pirana:2025_10.1"));
    // Reverted; the Deployment controller answers the revert with a status update, which triggers a
    // reconcile: one that started after the revert ran to completion before the writes are counted.
    long reverted = System.nanoTime();
    await().atMost(T).until(() -> env.reconciles().completedSince(ns, "pi", reverted));
    io.pistack.operator.it.Quiet.watch(Duration.ofSeconds(2), () -> operatorWrites.since(mark).stream()
        .filter(w -> w.contains("/deployments/pi-analytics")).count() <= 1);
    List<String> writes = operatorWrites.since(mark).stream()
        .filter(w -> w.contains("/deployments/pi-analytics")).toList();
    assertThat(writes).as("writes to revert one field").hasSize(1);
  }

  @Test
  void turningAutoscalingOnHandsReplicasToTheAutoscaler() {
    admin.resource(env.smallStack()).create();
    await().atMost(T).until(() -> "AllComponentsReady".equals(env.readyReason()));
    assertThat(ownsReplicas(env.deployment("pi-dashboard"), PiStackReconciler.NAME)).isTrue();

    Stacks.edit(admin, ns, "pi", s -> {
      s.getSpec().dashboard.autoscaling = new AutoscalingSpec();
      s.getSpec().dashboard.autoscaling.enabled = true;
      s.getSpec().dashboard.autoscaling.minReplicas = 1;
      s.getSpec().dashboard.autoscaling.maxReplicas = 6;
    });
    await().atMost(T).until(() ->
        admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("pi-dashboard").get() != null
            && !ownsReplicas(env.deployment("pi-dashboard"), PiStackReconciler.NAME));
    // The running pods are kept: replicas did not fall back to the default of 1.
    assertThat(env.deployment("pi-dashboard").getSpec().getReplicas()).isEqualTo(2);

    // Someone else scales through the scale subresource; the operator leaves it alone.
    admin.apps().deployments().inNamespace(ns).withName("pi-dashboard").scale(4);
    Stacks.edit(admin, ns, "pi", s -> s.getSpec().dashboard.podAnnotations = Map.of("rev", "2"));
    await().atMost(T).until(() -> "2".equals(env.deployment("pi-dashboard").getSpec().getTemplate().getMetadata()
        .getAnnotations().get("rev")));
    // The reconcile of that generation (the one that applied the annotation) ran to the end.
    long generation = env.stack().getMetadata().getGeneration();
    await().atMost(T).until(() -> env.reconciles().completedAtGeneration(ns, "pi", generation));
    assertThat(env.deployment("pi-dashboard").getSpec().getReplicas()).isEqualTo(4);
  }

  private String statusJson() {
    return io.fabric8.kubernetes.client.utils.Serialization.asYaml(env.stack().getStatus());
  }


  @SuppressWarnings("unchecked")
  static boolean ownsReplicas(Deployment d, String manager) {
    for (ManagedFieldsEntry m : d.getMetadata().getManagedFields()) {
      if (manager.equals(m.getManager()) && "Apply".equals(m.getOperation()) && m.getFieldsV1() != null
          && m.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec
          && spec.containsKey("f:replicas")) {
        return true;
      }
    }
    return false;
  }
}
