package io.pistack.operator.scenario;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.it.Kubelet;
import java.util.Objects;

/**
 * What the real control plane does that a scenario on the mock API server needs, played in one
 * namespace every 200 ms through the test's client (so none of it counts as the operator's writes):
 * the Deployment controller reports every replica of the current spec ready and available; the
 * StatefulSet controller reports its pod ready and creates the claims of its volumeClaimTemplates,
 * owned by the StatefulSet when its retention policy deletes them (as the real one). The garbage
 * collector is {@link io.pistack.operator.it.GarbageCollector}, run on delete. Not played: pods (kwok
 * runs them on the real tier), Jobs, the HPA controller.
 */
final class MockControllers implements AutoCloseable {
  private final KubernetesClient client;
  private final String ns;
  private final Poller loop;

  MockControllers(KubernetesClient client, String ns) {
    this.client = client;
    this.ns = ns;
    loop = new Poller("mock-controllers", 200, this::tick);
  }

  private void tick() {
    try {
      client.apps().deployments().inNamespace(ns).list().getItems().forEach(this::deployment);
      client.apps().statefulSets().inNamespace(ns).list().getItems().forEach(this::statefulSet);
    } catch (RuntimeException e) {
      // a conflict with the operator's own write, or the object just deleted: the next tick sees it again
    }
  }

  private void deployment(Deployment d) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    var s = d.getStatus();
    if (s == null || !Objects.equals(s.getObservedGeneration(), d.getMetadata().getGeneration())
        || !Objects.equals(s.getAvailableReplicas(), replicas) || !Objects.equals(s.getReadyReplicas(), replicas)
        || !Objects.equals(s.getUpdatedReplicas(), replicas)) {
      Kubelet.available(client, d);
    }
  }

  private void statefulSet(StatefulSet set) {
    var s = set.getStatus();
    if (s == null || !Objects.equals(s.getObservedGeneration(), set.getMetadata().getGeneration())) {
      Kubelet.ready(client, set);
    }
    var retention = set.getSpec().getPersistentVolumeClaimRetentionPolicy();
    boolean deleted = retention != null && "Delete".equals(retention.getWhenDeleted());
    for (PersistentVolumeClaim template : set.getSpec().getVolumeClaimTemplates()) {
      String name = template.getMetadata().getName() + "-" + set.getMetadata().getName() + "-0";
      if (client.persistentVolumeClaims().inNamespace(ns).withName(name).get() != null) {
        continue;
      }
      var claim = new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace(ns)
          .withLabels(template.getMetadata().getLabels()).endMetadata().withSpec(template.getSpec());
      if (deleted) {
        claim.editMetadata().addToOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1")
            .withKind("StatefulSet").withName(set.getMetadata().getName()).withUid(set.getMetadata().getUid())
            .withBlockOwnerDeletion(true).withController(true).build()).endMetadata();
      }
      client.resource(claim.build()).create();
    }
  }

  @Override
  public void close() {
    loop.close();
  }
}
