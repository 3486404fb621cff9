package io.pistack.operator.scenario;

import static io.pistack.operator.scenario.Cluster.PI;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.pistack.operator.api.v1alpha1.BackupSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.model.Labels;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import java.util.List;

/**
 * While the maintenance page is up (a restore holds the dashboard: on the mock no Job controller runs, so the
 * restore Job stays active), a reconcile writes nothing: not the Service, not the page's objects, not the status;
 * after an unrelated edit of a child and after an operator restart. The Service is the same object throughout.
 */
class MaintenancePageNoOpTest {

  @ScenarioTest(Tier.MOCK)
  void whileThePageIsUpAReconcileWritesNothing(Cluster cluster) {
    PiStack s = Fixtures.SMALL.stack(cluster.namespace());
    s.getSpec().backup = new BackupSpec();
    s.getSpec().backup.enabled = true;
    cluster.create(s);
    cluster.awaitConverged(PI);
    Service before = cluster.child(Service.class, "pi-dashboard");

    cluster.edit(PI, p -> {
      p.getSpec().restore = new RestoreSpec();
      p.getSpec().restore.backup = "latest";
    });
    PiStack up = cluster.awaitConverged(PI, ConditionType.MAINTENANCE_PAGE.wire(), "True", "MaintenanceRestore");
    assertThat(Conditions.find(up.getStatus().conditions, ConditionType.MAINTENANCE_PAGE).getMessage())
        .contains("Service pi-dashboard answers with the maintenance page", "Retry-After 120 s", "restored");
    Service onPage = cluster.child(Service.class, "pi-dashboard");
    assertThat(onPage.getSpec().getSelector()).containsEntry(Labels.COMPONENT, "maintenance");
    assertThat(onPage.getMetadata().getUid()).isEqualTo(before.getMetadata().getUid());
    assertThat(onPage.getSpec().getPorts()).isEqualTo(before.getSpec().getPorts());
    assertThat(cluster.child(Deployment.class, "pi-maintenance")).isNotNull();
    assertThat(cluster.child(ConfigMap.class, "pi-maintenance")).isNotNull();
    assertThat(cluster.child(NetworkPolicy.class, "pi-maintenance")).isNotNull();

    String status = NoOpReconcileTest.statusYaml(cluster);
    List<Write> writes = cluster.writesAfter(PI, () ->
        cluster.client().apps().deployments().inNamespace(cluster.namespace()).withName("pi-renderer").edit(d -> {
          d.getMetadata().getAnnotations().put("example.com/touched", "yes");
          return d;
        }), w -> w.isStatusOrEventOf(PI));
    NoOpReconcileTest.assertNothingWritten(cluster, "with the page up, after an unrelated edit of a child", writes,
        status);
    NoOpReconcileTest.assertNothingWritten(cluster, "with the page up, during the reconcile of a restarted operator",
        cluster.writesOfARestart(PI), status);
    assertThat(cluster.child(Service.class, "pi-dashboard").getSpec().getSelector())
        .containsEntry(Labels.COMPONENT, "maintenance");
  }
}
