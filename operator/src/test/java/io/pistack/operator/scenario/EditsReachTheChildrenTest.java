package io.pistack.operator.scenario;

import static io.pistack.operator.scenario.Cluster.PI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import io.pistack.operator.api.v1alpha1.UpgradeSpec;
import java.util.List;

/**
 * A user's edit of the PiStack reaches its children, and the stack converges again: replicas, a
 * version bump (rolling), a component turned off. Written once, run on both tiers (the version bump
 * and the component turned off replace two mock-only tests of it/ReconcileLifecycleTest).
 */
class EditsReachTheChildrenTest {

  @ScenarioTest
  void anEditOfReplicasReachesTheDeployment(Cluster cluster) {
    cluster.create(Fixtures.SMALL);
    cluster.awaitConverged(PI);
    assertThat(cluster.child(Deployment.class, "pi-dashboard").getSpec().getReplicas()).isEqualTo(2);

    List<Write> writes = cluster.writesDuring(() -> {
      cluster.edit(PI, s -> s.getSpec().dashboard.replicas = 3);
      cluster.awaitConverged(PI);
    });
    Deployment dashboard = cluster.child(Deployment.class, "pi-dashboard");
    assertThat(dashboard.getSpec().getReplicas()).isEqualTo(3);
    assertThat(dashboard.getStatus().getAvailableReplicas()).isEqualTo(3);
    assertThat(writes).as("the edit is applied to the dashboard's Deployment, and to no other")
        .anyMatch(w -> w.is("patch", "deployments") && w.name().equals("pi-dashboard"))
        .noneMatch(w -> w.resource().equals("deployments") && !w.name().equals("pi-dashboard"));
  }

  @ScenarioTest
  void versionBumpRollsEveryImage(Cluster cluster) {
    cluster.create(Fixtures.SMALL);
    cluster.awaitConverged(PI);

    // Rolling: the drained default is UpgradeDrainOnRealApiTest's.
    cluster.edit(PI, s -> {
      s.getSpec().version = "2026_01";
      s.getSpec().upgrade = new UpgradeSpec();
      s.getSpec().upgrade.strategy = UpgradeSpec.Strategy.Rolling;
    });
    cluster.awaitConverged(PI);
    assertThat(cluster.client().apps().deployments().inNamespace(cluster.namespace()).list().getItems())
        .hasSize(5)
        .allSatisfy(d -> assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
            .endsWith(":2026_01"));
    assertThat(cluster.child(Deployment.class, "pi-analytics").getSpec().getTemplate().getSpec().getContainers()
        .get(0).getImage()).isEqualTo("ghcr.io/pi-cr/pirana:2026_01");
  }

  @ScenarioTest
  void turningAComponentOffDeletesItsObjects(Cluster cluster) {
    cluster.create(Fixtures.SMALL);
    cluster.awaitConverged(PI);
    assertThat(cluster.names(Deployment.class)).hasSize(5).contains("pi-analytics");

    cluster.edit(PI, s -> {
      s.getSpec().analytics = s.getSpec().analytics == null ? new ScalableComponentSpec() : s.getSpec().analytics;
      s.getSpec().analytics.enabled = false;
    });
    await().atMost(cluster.timeout()).untilAsserted(() -> {
      assertThat(cluster.names(Deployment.class)).doesNotContain("pi-analytics").hasSize(4);
      assertThat(cluster.child(Service.class, "pi-analytics")).isNull();
    });
    // ...and the dashboard is no longer told where analytics is.
    cluster.awaitConverged(PI);
    assertThat(cluster.child(Deployment.class, "pi-dashboard").getSpec().getTemplate().getSpec().getContainers()
        .get(0).getEnv()).noneMatch(e -> e.getName().equals("PI_VARIABLE_ANALYTICS_SERVER_URL"));
  }
}
