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
import io.pistack.operator.model.HorizontalPodAutoscalerBuilder;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.ResolvedStack;
import java.util.LinkedHashMap;
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
    ResolvedStack stack = Resolved.of(primary, context);
    // No HPA for a component a gate holds (a pending restore, a drained upgrade): it would scale it.
    var plan = Plans.current(primary, context);
    Map<ResourceID, HorizontalPodAutoscaler> desired = new LinkedHashMap<>();
    stack.enabledComponents().stream().filter(c -> stack.autoscaling(c).isPresent() && plan.heldReplicas(c).isEmpty())
        .forEach(c -> {
          HorizontalPodAutoscaler hpa = HorizontalPodAutoscalerBuilder.build(stack, c);
          desired.put(ResourceID.fromResource(hpa), hpa);
        });
    return desired;
  }
}
