package io.pistack.operator.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays the garbage collector the mock lacks: after an owner is deleted, deletes every object of
 * the kinds the operator creates that names it in an owner reference (by uid, as the real one).
 */
public final class GarbageCollector {
  private GarbageCollector() {}

  /** The objects deleted. */
  public static List<String> collect(KubernetesClient client, String ns, String ownerUid) {
    List<HasMetadata> all = new ArrayList<>();
    all.addAll(client.apps().deployments().inNamespace(ns).list().getItems());
    all.addAll(client.apps().statefulSets().inNamespace(ns).list().getItems());
    all.addAll(client.services().inNamespace(ns).list().getItems());
    all.addAll(client.secrets().inNamespace(ns).list().getItems());
    all.addAll(client.configMaps().inNamespace(ns).list().getItems());
    all.addAll(client.persistentVolumeClaims().inNamespace(ns).list().getItems());
    all.addAll(client.batch().v1().cronjobs().inNamespace(ns).list().getItems());
    all.addAll(client.batch().v1().jobs().inNamespace(ns).list().getItems());
    all.addAll(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).list().getItems());
    all.addAll(client.policy().v1().podDisruptionBudget().inNamespace(ns).list().getItems());
    all.addAll(client.network().v1().ingresses().inNamespace(ns).list().getItems());
    List<String> deleted = new ArrayList<>();
    for (HasMetadata o : all) {
      if (o.getMetadata().getOwnerReferences().stream().anyMatch(r -> ownerUid.equals(r.getUid()))) {
        client.resource(o).delete();
        deleted.add(o.getKind() + "/" + o.getMetadata().getName());
      }
    }
    return deleted;
  }
}
