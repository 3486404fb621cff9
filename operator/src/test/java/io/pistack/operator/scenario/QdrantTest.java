package io.pistack.operator.scenario;

import static io.pistack.operator.scenario.Cluster.PI;
import static io.pistack.operator.scenario.NoOpReconcileTest.assertNothingWritten;
import static io.pistack.operator.scenario.NoOpReconcileTest.statusYaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.QdrantSpec;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;

/**
 * Qdrant: it converges on its own ReadWriteOnce claim (never the shared ReadWriteMany volume), a
 * converged stack with it makes no write, disabling it deletes its workload but keeps its data and
 * key, deleting the stack keeps them too, and opting in to deleting data makes the key owned. Written
 * once, run on both tiers (replaces it/QdrantTest and realapi/QdrantOnRealApiTest).
 */
class QdrantTest {
  static final Fixture WITH_QDRANT = Fixtures.SMALL.with("qdrant", s -> {
    s.getSpec().qdrant = new QdrantSpec();
    s.getSpec().qdrant.enabled = true;
    s.getSpec().qdrant.resources = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("10m"))
        .addToRequests("memory", new Quantity("64Mi")).build();
  });

  @ScenarioTest
  void itConvergesOnItsOwnVolumeMakesNoWritesWhenConvergedAndItsDataOutlivesIt(Cluster cluster) {
    cluster.create(WITH_QDRANT);
    PiStack converged = cluster.awaitConverged(PI);
    assertThat(Conditions.find(converged.getStatus().conditions, ConditionType.READY).getReason())
        .isEqualTo("AllComponentsReady");
    assertThat(Conditions.isTrue(converged.getStatus().conditions, "QdrantReady")).isTrue();
    assertThat(converged.getStatus().components).containsKey("qdrant");
    var claim = cluster.child(PersistentVolumeClaim.class, "pi-qdrant-storage");
    assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(cluster.child(PersistentVolumeClaim.class, "pi-shared").getSpec().getAccessModes())
        .containsExactly("ReadWriteMany");
    if (cluster.tier() == Tier.REAL) {
      // Only the real tier binds claims (to the volume RealTierCluster made for this one).
      assertThat(claim.getStatus().getPhase()).isEqualTo("Bound");
      assertThat(claim.getSpec().getVolumeName()).isEqualTo(cluster.namespace() + "-pi-qdrant-storage");
    }
    Deployment qdrant = cluster.child(Deployment.class, "pi-qdrant");
    assertThat(qdrant.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    assertThat(qdrant.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("docker.io/qdrant/qdrant:v1.13.6");
    assertThat(dashboardEnv(cluster))
        .anyMatch(e -> e.getName().equals("PI_VECTOR_DB_URL") && "http://pi-qdrant:6333".equals(e.getValue()));
    // Its generated API key: created once, no owner (it outlives the stack like the volume).
    Secret key = cluster.child(Secret.class, "pi-qdrant-api-key");
    assertThat(key).isNotNull();
    assertThat(key.getMetadata().getOwnerReferences()).isNullOrEmpty();

    // Converged: an unrelated edit of a child, and a restarted operator's reconcile, write nothing.
    String before = statusYaml(cluster);
    assertNothingWritten(cluster, "after an unrelated edit of a child", cluster.writesAfter(PI, () ->
        cluster.client().apps().deployments().inNamespace(cluster.namespace()).withName("pi-qdrant").edit(d -> {
          d.getMetadata().getAnnotations().put("example.com/touched", "yes");
          return d;
        }), w -> w.isStatusOrEventOf(PI)), before);
    before = statusYaml(cluster);
    assertNothingWritten(cluster, "during the reconcile of a restarted operator", cluster.writesOfARestart(PI), before);

    // Disabled: its Deployment and Service go, its claim (data) and key stay, the dashboard loses the URL.
    cluster.edit(PI, s -> s.getSpec().qdrant.enabled = false);
    await().atMost(cluster.timeout()).untilAsserted(() -> {
      assertThat(cluster.child(Deployment.class, "pi-qdrant")).isNull();
      assertThat(cluster.child(Service.class, "pi-qdrant")).isNull();
      assertThat(dashboardEnv(cluster)).noneMatch(e -> e.getName().equals("PI_VECTOR_DB_URL"));
      assertThat(Conditions.find(cluster.stack(PI).getStatus().conditions, "QdrantReady")).isNull();
    });
    assertThat(cluster.child(PersistentVolumeClaim.class, "pi-qdrant-storage")).isNotNull();
    assertThat(cluster.child(Secret.class, "pi-qdrant-api-key").getMetadata().getUid())
        .as("the same key, kept while Qdrant is off").isEqualTo(key.getMetadata().getUid());

    // Enabled again and the stack deleted: the workload is collected with it, the data stays.
    cluster.edit(PI, s -> s.getSpec().qdrant.enabled = true);
    await().atMost(cluster.timeout()).until(() -> cluster.child(Deployment.class, "pi-qdrant") != null);
    cluster.delete(PI);
    assertThat(cluster.child(Deployment.class, "pi-qdrant")).isNull();
    assertThat(cluster.child(PersistentVolumeClaim.class, "pi-qdrant-storage").getMetadata().getUid())
        .isEqualTo(claim.getMetadata().getUid());
    assertThat(cluster.child(Secret.class, "pi-qdrant-api-key").getMetadata().getUid())
        .isEqualTo(key.getMetadata().getUid());

    // Re-created, opted in to deleting data with the stack: the key gets the PiStack as owner, like the
    // database's Secrets.
    cluster.create(WITH_QDRANT.with("storage.deleteWithStack", s -> {
      s.getSpec().storage = new StorageSpec();
      s.getSpec().storage.deleteWithStack = true;
    }));
    await().atMost(cluster.timeout()).untilAsserted(() -> assertThat(cluster.child(Secret.class, "pi-qdrant-api-key")
        .getMetadata().getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getKind()).isEqualTo("PiStack")));
  }

  /** Only the real API server runs the CRD's CEL rules. */
  @ScenarioTest(Tier.REAL)
  void theSchemaRefusesASecondReplica(Cluster cluster) {
    PiStack s = WITH_QDRANT.stack(cluster.namespace());
    s.getSpec().qdrant.replicas = 2;
    assertThatThrownBy(() -> cluster.create(s)).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.qdrant").hasMessageContaining("qdrant runs at most one replica");
  }

  private static java.util.List<io.fabric8.kubernetes.api.model.EnvVar> dashboardEnv(Cluster cluster) {
    return cluster.child(Deployment.class, "pi-dashboard").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getEnv();
  }
}
