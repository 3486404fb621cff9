package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
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

/**
 * A PDB for each component that wants one (the dashboard), present only while it can run more than
 * one pod; otherwise it is deleted.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class PodDisruptionBudgetDependent extends KubernetesDependentResource<PodDisruptionBudget, PiStack>
    implements CRUDKubernetesBulkDependentResource<PodDisruptionBudget, PiStack>,
    KubernetesBulkDependentResource<PodDisruptionBudget, PiStack>, GarbageCollected<PiStack> {
  public PodDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  public Map<ResourceID, PodDisruptionBudget> desiredResources(PiStack primary, Context<PiStack> context) {
    return Projection.byId(Pass.of(context).desired().all(PodDisruptionBudget.class));
  }
}
