package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.pistack.operator.access.ApiAccess;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.Map;

/**
 * Hands spec.replicas over when a Deployment becomes autoscaled. Server-side apply removes a field
 * its only manager stops sending, and the API server would then default replicas to 1: a running
 * 3-pod dashboard would drop to one pod. So, before the operator applies the Deployment without
 * replicas, a second field manager applies just the current count (as the Kubernetes "transferring
 * ownership" guide does). It must be an apply: an update that does not change a value earns no
 * ownership. The field then survives, and the HPA's scale updates take it from there.
 */
@ApiAccess(group = "apps", resource = "deployments", verbs = "patch",
    why = "applies spec.replicas under a second field manager before an HPA takes the Deployment over")
final class ReplicasHandover {
  static final String HANDOVER_MANAGER = "pi-operator-handover";

  private ReplicasHandover() {}

  /** True when the operator's apply owns spec.replicas but the desired object no longer sets it. */
  static boolean needed(Deployment actual, Deployment desired, String fieldManager) {
    if (desired.getSpec().getReplicas() != null || actual.getSpec() == null || actual.getSpec().getReplicas() == null) {
      return false;
    }
    return actual.getMetadata().getManagedFields().stream()
        .filter(m -> fieldManager.equals(m.getManager()) && "Apply".equals(m.getOperation()))
        .anyMatch(ReplicasHandover::ownsReplicas);
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReplicasHandover.class);

  static void handOver(KubernetesClient client, Deployment actual) {
    LOG.info("handing spec.replicas={} of {} over before autoscaling takes it", actual.getSpec().getReplicas(),
        actual.getMetadata().getName());
    Deployment replicasOnly = new DeploymentBuilder()
        .withNewMetadata().withName(actual.getMetadata().getName())
        .withNamespace(actual.getMetadata().getNamespace()).endMetadata()
        .withNewSpec().withReplicas(actual.getSpec().getReplicas()).endSpec()
        .build();
    // Forced: after a restore the count handed over (the autoscaler's minimum) differs from the 0
    // the operator applied while the restore ran, which would otherwise be a conflict.
    client.resource(replicasOnly).fieldManager(HANDOVER_MANAGER).forceConflicts().serverSideApply();
  }

  @SuppressWarnings("unchecked")
  private static boolean ownsReplicas(ManagedFieldsEntry m) {
    if (m.getFieldsV1() == null) {
      return false;
    }
    Object spec = m.getFieldsV1().getAdditionalProperties().get("f:spec");
    return spec instanceof Map<?, ?> s && s.containsKey("f:replicas");
  }
}
