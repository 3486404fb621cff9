package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
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

/** An HPA for each component with autoscaling on; turning it off deletes the HPA. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class AutoscalersDependent extends KubernetesDependentResource<HorizontalPodAutoscaler, PiStack>
    implements CRUDKubernetesBulkDependentResource<HorizontalPodAutoscaler, PiStack>,
    KubernetesBulkDependentResource<HorizontalPodAutoscaler, PiStack>, GarbageCollected<PiStack> {

  public AutoscalersDependent() {
    super(HorizontalPodAutoscaler.class);
  }

  @Override
  public Map<ResourceID, HorizontalPodAutoscaler> desiredResources(PiStack primary,
      Context<PiStack> context) {
    return Projection.byId(Pass.of(context).desired().all(HorizontalPodAutoscaler.class));
  }
}
