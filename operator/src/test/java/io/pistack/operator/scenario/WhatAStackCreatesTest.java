package io.pistack.operator.scenario;

import static io.pistack.operator.scenario.Cluster.PI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.util.List;

/**
 * What the minimal sample creates: every workload, Service and default-deny NetworkPolicy, owned by
 * the stack; the shared volume and the credentials unowned, so they outlive it. Written once, run on
 * both tiers (replaces it/ReconcileLifecycleTest.createsEveryObjectWithOwnersAndLeavesDataUnowned,
 * mock only until now).
 */
class WhatAStackCreatesTest {

  @ScenarioTest
  void createsEveryObjectWithOwnersAndLeavesDataUnowned(Cluster cluster) {
    PiStack stack = cluster.create(Fixtures.MINIMAL);
    String uid = stack.getMetadata().getUid();
    cluster.awaitConverged(PI);

    assertThat(cluster.names(Deployment.class)).containsExactlyInAnyOrder(
        "pi-dashboard", "pi-scheduler", "pi-analytics", "pi-renderer", "pi-excel-reader");
    assertThat(cluster.names(Service.class)).containsExactlyInAnyOrder("pi-dashboard", "pi-dashboard-private",
        "pi-scheduler", "pi-analytics", "pi-renderer", "pi-excel-reader", "pi-db");
    assertThat(cluster.names(NetworkPolicy.class)).containsExactlyInAnyOrder("pi-dashboard", "pi-scheduler",
        "pi-analytics", "pi-renderer", "pi-excel-reader", "pi-db"); // default-deny, one per component
    assertThat(cluster.child(StatefulSet.class, "pi-db")).isNotNull();
    assertThat(cluster.child(PodDisruptionBudget.class, "pi-dashboard")).isNotNull();

    Deployment dashboard = cluster.child(Deployment.class, "pi-dashboard");
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
    Deployment scheduler = cluster.child(Deployment.class, "pi-scheduler");
    assertThat(scheduler.getSpec().getReplicas()).isEqualTo(1);
    assertThat(scheduler.getSpec().getStrategy().getType()).isEqualTo("Recreate");

    for (HasMetadata owned : List.<HasMetadata>of(dashboard, scheduler, cluster.child(Service.class, "pi-renderer"),
        cluster.child(StatefulSet.class, "pi-db"))) {
      assertThat(owned.getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid).containsExactly(uid);
    }

    PersistentVolumeClaim shared = cluster.child(PersistentVolumeClaim.class, "pi-shared");
    assertThat(shared.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(shared.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("5Gi");
    Secret credentials = cluster.child(Secret.class, "pi-db-credentials");
    assertThat(credentials.getMetadata().getOwnerReferences()).isEmpty();

    // Deleting the PiStack: the data has no owner, so the garbage collector leaves it.
    cluster.delete(PI);
    await().atMost(cluster.timeout()).until(() -> cluster.names(Deployment.class).isEmpty());
    assertThat(cluster.child(PersistentVolumeClaim.class, "pi-shared").getMetadata().getUid())
        .isEqualTo(shared.getMetadata().getUid());
    assertThat(cluster.child(Secret.class, "pi-db-credentials").getMetadata().getUid())
        .isEqualTo(credentials.getMetadata().getUid());
  }
}
