package io.pistack.operator.desired;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import java.util.Optional;

/**
 * What the desired stage reads of the stack's live children, by name, as the informer caches held them when the
 * reconcile began: the parts of a child the API server refuses to change (a claim's class and access modes, a
 * StatefulSet's claim templates), a size that only grows, and the Secrets digest a pod template keeps while a
 * Secret it counts is missing. Nothing else of the cluster reaches the desired objects.
 *
 * @param deployments the stack's Deployments, by name
 * @param database the embedded database's StatefulSet, if it exists
 * @param claims the claims the operator creates (shared, per component, backups), by name
 */
public record LiveChildren(Map<String, Deployment> deployments, Optional<StatefulSet> database,
    Map<String, PersistentVolumeClaim> claims) {

  public LiveChildren {
    deployments = Map.copyOf(deployments);
    claims = Map.copyOf(claims);
  }

  /** A stack with no child yet (what `render` builds for). */
  public static LiveChildren none() {
    return new LiveChildren(Map.of(), Optional.empty(), Map.of());
  }

  Optional<Deployment> deployment(String name) {
    return Optional.ofNullable(deployments.get(name));
  }

  Optional<PersistentVolumeClaim> claim(String name) {
    return Optional.ofNullable(claims.get(name));
  }
}
