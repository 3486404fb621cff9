package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import java.util.Map;

/** The stack's NetworkPolicies (none when spec.networkPolicy.enabled is false). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class NetworkPoliciesDependent extends KubernetesDependentResource<NetworkPolicy, PiStack>
    implements CRUDKubernetesBulkDependentResource<NetworkPolicy, PiStack>,
    KubernetesBulkDependentResource<NetworkPolicy, PiStack>, GarbageCollected<PiStack> {

  public NetworkPoliciesDependent() {
    super(NetworkPolicy.class);
  }

  @Override
  public Map<ResourceID, NetworkPolicy> desiredResources(PiStack primary, Context<PiStack> context) {
    return Projection.byId(Pass.of(context).desired().all(NetworkPolicy.class));
  }
}
