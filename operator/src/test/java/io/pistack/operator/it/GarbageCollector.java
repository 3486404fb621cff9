package io.pistack.operator.it;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Plays the garbage collector the mock lacks: after an owner is deleted, deletes every object of
 * the kinds the operator creates that names it in an owner reference (by uid, as the real one).
 */
public final class GarbageCollector {
  private GarbageCollector() {}

  /**
   * Deletes every object that names the owner, then what the deleted objects owned, and so on (a
   * StatefulSet's claims when its retention policy deletes them), as the real collector's background
   * deletion does. Returns the objects deleted, as "Kind/name".
   */
  public static List<String> collectCascading(KubernetesClient client, String ns, String ownerUid) {
    List<String> deleted = new ArrayList<>();
    Set<String> owners = new HashSet<>(Set.of(ownerUid));
    while (!owners.isEmpty()) {
      Set<String> next = new HashSet<>();
      for (HasMetadata o : owned(client, ns, owners)) {
        client.resource(o).delete();
        deleted.add(o.getKind() + "/" + o.getMetadata().getName());
        next.add(o.getMetadata().getUid());
      }
      owners = next;
    }
    return deleted;
  }

  /** The objects of the kinds the operator creates (and a StatefulSet's claims) that name this owner. */
  public static List<HasMetadata> owned(KubernetesClient client, String ns, String ownerUid) {
    return owned(client, ns, Set.of(ownerUid));
  }

  private static List<HasMetadata> owned(KubernetesClient client, String ns, Set<String> ownerUids) {
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
    all.addAll(client.network().v1().networkPolicies().inNamespace(ns).list().getItems());
    return all.stream().filter(o -> o.getMetadata().getOwnerReferences().stream()
        .anyMatch(r -> ownerUids.contains(r.getUid()))).toList();
  }
}
