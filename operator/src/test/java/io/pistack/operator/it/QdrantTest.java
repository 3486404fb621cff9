package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.QdrantSpec;
import io.pistack.operator.status.Conditions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Qdrant as production wires it (mock API server): it converges with its own claim, a converged stack
 * with it makes zero writes, and disabling it deletes its workload but keeps its data.
 */
class QdrantTest {
  static final String NS = "qdrant";
  static final Duration T = Duration.ofSeconds(30);
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
  void itConvergesMakesNoWritesWhenConvergedAndItsDataOutlivesDisablingIt() {
    PiStack stack = Stacks.sample("minimal.yaml", NS);
    stack.getSpec().qdrant = new QdrantSpec();
    stack.getSpec().qdrant.enabled = true;
    cluster.client.resource(stack).create();
    await().atMost(T).until(() -> cluster.client.apps().deployments().inNamespace(NS).list().getItems().size() == 6);
    Kubelet.markAvailable(cluster.client, NS);
    await().atMost(T).until(() -> NoOpReconcileTest.ready(stack()));

    var claim = cluster.client.persistentVolumeClaims().inNamespace(NS).withName("pi-qdrant-storage").get();
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(cluster.client.persistentVolumeClaims().inNamespace(NS).withName("pi-shared").get().getSpec()
        .getAccessModes()).containsExactly("ReadWriteMany");
    assertThat(Conditions.isTrue(stack().getStatus().conditions, "QdrantReady")).isTrue();
    assertThat(stack().getStatus().components).containsKey("qdrant");
    assertThat(cluster.client.apps().deployments().inNamespace(NS).withName("pi-dashboard").get().getSpec()
        .getTemplate().getSpec().getContainers().get(0).getEnv())
        .anyMatch(e -> e.getName().equals("PI_VECTOR_DB_URL") && e.getValue().equals("http://pi-qdrant:6333"));
    // Its generated API key: created once, no owner (it outlives the stack like the volume).
    var key = cluster.client.secrets().inNamespace(NS).withName("pi-qdrant-api-key").get();
    assertThat(key).isNotNull();
    assertThat(key.getMetadata().getOwnerReferences()).isNullOrEmpty();

    // A restarted operator reconciles the converged stack (it reads the licence) and writes nothing.
    cluster.awaitConverged(NS, "pi");
    assertThat(cluster.writesOfARestart(NS, "pi")).as("writes during a no-op reconcile").isEmpty();

    // Disabled: its Deployment and Service go, its claim (data) stays, the dashboard loses the URL.
    Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().qdrant.enabled = false);
    await().atMost(T).untilAsserted(() -> {
      assertThat(cluster.client.apps().deployments().inNamespace(NS).withName("pi-qdrant").get()).isNull();
      assertThat(cluster.client.services().inNamespace(NS).withName("pi-qdrant").get()).isNull();
      assertThat(cluster.client.apps().deployments().inNamespace(NS).withName("pi-dashboard").get().getSpec()
          .getTemplate().getSpec().getContainers().get(0).getEnv()).noneMatch(e -> e.getName().equals("PI_VECTOR_DB_URL"));
      assertThat(Conditions.find(stack().getStatus().conditions, "QdrantReady")).isNull();
    });
    assertThat(cluster.client.persistentVolumeClaims().inNamespace(NS).withName("pi-qdrant-storage").get()).isNotNull();
    assertThat(cluster.client.secrets().inNamespace(NS).withName("pi-qdrant-api-key").get().getMetadata().getUid())
        .as("the same key, kept while Qdrant is off").isEqualTo(key.getMetadata().getUid());

    // Opted in to deleting data with the stack: the key gets the PiStack as owner, like the database's Secrets.
    Stacks.edit(cluster.client, NS, "pi", s -> {
      s.getSpec().storage = new io.pistack.operator.api.v1alpha1.StorageSpec();
      s.getSpec().storage.deleteWithStack = true;
    });
    await().atMost(T).untilAsserted(() -> assertThat(cluster.client.secrets().inNamespace(NS)
        .withName("pi-qdrant-api-key").get().getMetadata().getOwnerReferences())
        .singleElement().satisfies(r -> assertThat(r.getKind()).isEqualTo("PiStack")));
  }

  private PiStack stack() {
    return cluster.client.resources(PiStack.class).inNamespace(NS).withName("pi").get();
  }
}
