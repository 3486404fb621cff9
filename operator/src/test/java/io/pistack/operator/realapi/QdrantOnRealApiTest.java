package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.QdrantSpec;
import io.pistack.operator.status.Conditions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Qdrant on the real API server: its ReadWriteOnce claim binds (never the shared RWX volume), the
 * stack becomes Ready with it, an unrelated edit costs no write, its data outlives disabling it and
 * deleting the stack, and the schema refuses a second replica.
 */
class QdrantOnRealApiTest {
  static final Duration T = RealApiStack.T;
  RealApiStack env;

  @BeforeEach
  void start() {
    env = new RealApiStack("qdrant", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"), claim("pi-qdrant-storage", "10Gi", "ReadWriteOnce"));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  PiStack withQdrant() {
    PiStack s = env.smallStack();
    s.getSpec().qdrant = new QdrantSpec();
    s.getSpec().qdrant.enabled = true;
    s.getSpec().qdrant.resources = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("10m"))
        .addToRequests("memory", new Quantity("64Mi")).build();
    return s;
  }

  @Test
  void qdrantRunsOnItsOwnVolumeAndItsDataOutlivesIt() {
    env.admin.resource(withQdrant()).create();
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));
    assertThat(Conditions.isTrue(env.stack().getStatus().conditions, "QdrantReady")).isTrue();
    var claim = env.admin.persistentVolumeClaims().inNamespace(env.ns).withName("pi-qdrant-storage").get();
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
    assertThat(claim.getSpec().getVolumeName()).isEqualTo(env.ns + "-pi-qdrant-storage");
    assertThat(env.deployment("pi-qdrant").getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(env.image("pi-qdrant")).isEqualTo("docker.io/qdrant/qdrant:v1.13.6");

    // Converged: an unrelated edit of a child causes no write to any child.
    env.awaitConverged();
    List<String> writes = env.writesAfter(() ->
        env.admin.apps().deployments().inNamespace(env.ns).withName("pi-qdrant").edit(d -> {
          d.getMetadata().getAnnotations().put("example.com/touched", "yes");
          return d;
        }), RealApiStack::statusOrEvent);
    assertThat(writes).as("operator writes to its children after an unrelated edit")
        .allMatch(w -> w.endsWith("/pistacks/pi/status") || w.contains("/events"));

    // Disabled: the workload goes, the data stays.
    io.pistack.operator.it.Stacks.edit(env.admin, env.ns, "pi", s -> s.getSpec().qdrant.enabled = false);
    await().atMost(T).untilAsserted(() -> {
      assertThat(env.deployment("pi-qdrant")).isNull();
      assertThat(env.admin.services().inNamespace(env.ns).withName("pi-qdrant").get()).isNull();
    });
    assertThat(env.admin.persistentVolumeClaims().inNamespace(env.ns).withName("pi-qdrant-storage").get()).isNotNull();

    // Enabled again and the stack deleted: collected with it, but the data stays.
    io.pistack.operator.it.Stacks.edit(env.admin, env.ns, "pi", s -> s.getSpec().qdrant.enabled = true);
    await().atMost(T).until(() -> env.deployment("pi-qdrant") != null);
    env.admin.resources(PiStack.class).inNamespace(env.ns).withName("pi").delete();
    await().atMost(T).untilAsserted(() -> assertThat(env.deployment("pi-qdrant")).isNull());
    assertThat(env.admin.persistentVolumeClaims().inNamespace(env.ns).withName("pi-qdrant-storage").get()).isNotNull();
  }

  @Test
  void theSchemaRefusesASecondReplica() {
    PiStack s = withQdrant();
    s.getSpec().qdrant.replicas = 2;
    assertThatThrownBy(() -> env.admin.resource(s).create()).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.qdrant").hasMessageContaining("qdrant runs at most one replica");
  }
}
