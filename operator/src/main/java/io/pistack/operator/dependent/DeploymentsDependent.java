package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.LifecyclePlan;
import java.util.Map;

/** One Deployment per enabled component; a disabled component's Deployment is deleted. */
@ApiAccess.PassesClient("gives context.getClient() to ReplicasHandover")
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class), matcher = ServedFormMatcher.class)
public class DeploymentsDependent extends KubernetesDependentResource<Deployment, PiStack>
    implements CRUDKubernetesBulkDependentResource<Deployment, PiStack>,
    KubernetesBulkDependentResource<Deployment, PiStack>, GarbageCollected<PiStack> {

  public DeploymentsDependent() {
    super(Deployment.class);
  }

  @Override
  public Deployment update(Deployment actual, Deployment desired, PiStack primary, Context<PiStack> context) {
    if (ReplicasHandover.needed(actual, desired, context.getControllerConfiguration().fieldManager())) {
      ReplicasHandover.handOver(context.getClient(), LifecyclePlan.restartedAfterRestore(actual,
          Pass.of(context).stack()));
    }
    return super.update(actual, desired, primary, context);
  }

  @Override
  public Map<ResourceID, Deployment> desiredResources(PiStack primary, Context<PiStack> context) {
    // The plan's holds and drain are in the desired stack (DesiredStacks#deployment).
    return Projection.byId(Pass.of(context).desired().all(Deployment.class));
  }
}
