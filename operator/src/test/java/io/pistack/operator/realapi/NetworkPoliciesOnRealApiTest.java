package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.NetworkPolicySpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.QdrantSpec;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.NetworkPolicyBuilder;
import io.pistack.operator.model.NetworkPolicyEvaluator;
import io.pistack.operator.model.OperatorIdentity;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.runtime.RuntimeConfig;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stack's NetworkPolicies on the real API server: one per component (default-deny) and the database's, as
 * rendered, accepted and stored unchanged; the operator's checks admitted from its own namespace and release only;
 * Qdrant's generated API key wired to Qdrant and the dashboard. This tier has no network plugin, so nothing
 * enforces them here: what the stored rules admit is evaluated (NetworkPolicyEvaluator) against the pods the real
 * controllers created.
 */
class NetworkPoliciesOnRealApiTest {
  static final Duration T = RealApiStack.T;
  static final OperatorIdentity OPERATOR = OperatorIdentity.in("pi-system",
      Map.of(Labels.NAME, "pi-operator", Labels.INSTANCE, "platform"));
  RealApiStack env;

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void everyComponentIsPolicedAsRenderedAndOnlyTheOperatorsNamespaceIsAdmitted() {
    RealApiStack.OperatorSetup setup = (admin, ns, interceptors) -> Map.entry(
        RealApiServer.get().client(new KubernetesClientBuilder().withHttpClientBuilderConsumer(interceptors)),
        RuntimeConfig.defaults().withWatchNamespaces(Set.of(ns)).withOperator(OPERATOR));
    env = new RealApiStack("netpol", setup, claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"), claim("pi-qdrant-storage", "10Gi", "ReadWriteOnce"));
    PiStack s = env.smallStack();
    s.getSpec().qdrant = new QdrantSpec();
    s.getSpec().qdrant.enabled = true;
    s.getSpec().qdrant.resources = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("10m"))
        .addToRequests("memory", new Quantity("64Mi")).build();
    s.getSpec().networkPolicy = new NetworkPolicySpec();
    s.getSpec().networkPolicy.dashboardFrom = List.of(Serialization.jsonMapper().valueToTree(
        Map.of("namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "ingress-nginx")))));
    env.admin.resource(s).create();
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));

    // Stored as rendered: the API server accepted every rule and changed none.
    List<NetworkPolicy> stored = env.admin.network().networkPolicies().inNamespace(env.ns).list().getItems();
    List<NetworkPolicy> rendered = NetworkPolicyBuilder.build(new ResolvedStack(env.stack()).withOperator(OPERATOR));
    assertThat(stored).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("pi-dashboard",
        "pi-scheduler", "pi-analytics", "pi-renderer", "pi-excel-reader", "pi-qdrant", "pi-db");
    for (NetworkPolicy r : rendered) {
      NetworkPolicy live = stored.stream().filter(p -> p.getMetadata().getName().equals(r.getMetadata().getName()))
          .findFirst().orElseThrow();
      assertThat(live.getSpec()).as(r.getMetadata().getName()).isEqualTo(r.getSpec());
    }

    // What the stored rules admit, for the pods the controllers created.
    await().atMost(T).until(() -> pod("scheduler") != null && pod("qdrant") != null && pod("db") != null);
    NetworkPolicyEvaluator.Pod scheduler = of(pod("scheduler"));
    NetworkPolicyEvaluator.Pod dashboard = of(pod("dashboard"));
    NetworkPolicyEvaluator.Pod operator = NetworkPolicyEvaluator.Pod.in("pi-system",
        Map.of(Labels.NAME, "pi-operator", Labels.INSTANCE, "platform"));
    NetworkPolicyEvaluator.Pod impostor = NetworkPolicyEvaluator.Pod.in("team-b",
        Map.of(Labels.NAME, "pi-operator", Labels.INSTANCE, "platform"));
    assertThat(NetworkPolicyEvaluator.allows(stored, scheduler, dashboard, 8224)).as("the scheduler's calls").isTrue();
    assertThat(NetworkPolicyEvaluator.allows(stored, dashboard, of(pod("qdrant")), 6333)).isTrue();
    assertThat(NetworkPolicyEvaluator.allows(stored, operator, of(pod("qdrant")), 6333)).as("the operator's check").isTrue();
    assertThat(NetworkPolicyEvaluator.allows(stored, impostor, of(pod("qdrant")), 6333)).isFalse();
    assertThat(NetworkPolicyEvaluator.allows(stored, impostor, of(pod("db")), 3306)).isFalse();
    assertThat(NetworkPolicyEvaluator.allows(stored, impostor, of(pod("scheduler")), 9917)).isFalse();
    assertThat(NetworkPolicyEvaluator.allows(stored, impostor, dashboard, 8224)).isFalse();

    // Qdrant's API key: generated once, required by Qdrant, handed to the dashboard.
    Secret key = env.admin.secrets().inNamespace(env.ns).withName("pi-qdrant-api-key").get();
    assertThat(new String(Base64.getDecoder().decode(key.getData().get("api-key")))).hasSize(32);
    assertThat(env.deployment("pi-qdrant").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("QDRANT__SERVICE__API_KEY");
          assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-qdrant-api-key");
        });
    assertThat(env.deployment("pi-dashboard").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("PI_VECTOR_DB_API_KEY");
          assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-qdrant-api-key");
        });
  }

  private Pod pod(String part) {
    return env.admin.pods().inNamespace(env.ns).withLabel(Labels.COMPONENT, part).list().getItems().stream()
        .findFirst().orElse(null);
  }

  private static NetworkPolicyEvaluator.Pod of(Pod p) {
    return NetworkPolicyEvaluator.Pod.in(p.getMetadata().getNamespace(), p.getMetadata().getLabels());
  }
}
