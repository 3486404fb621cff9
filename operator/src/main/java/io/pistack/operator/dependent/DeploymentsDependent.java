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
import io.pistack.operator.model.DeploymentBuilder;
import io.pistack.operator.model.DrainDecision;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SecretDigests;
import java.util.LinkedHashMap;
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
          Resolved.of(primary, context)));
    }
    return super.update(actual, desired, primary, context);
  }

  @Override
  public Map<ResourceID, Deployment> desiredResources(PiStack primary, Context<PiStack> context) {
    // A pending pre-upgrade backup keeps the running version; a pending restore keeps the
    // dashboard and scheduler at zero replicas (see LifecyclePlan).
    LifecyclePlan plan = Plans.current(primary, context);
    // A drained upgrade holds the dashboard and scheduler at zero, then one migrating dashboard
    // of the new version with the migration's progress deadline, the rest at the old version.
    ResolvedStack resolved = Resolved.of(primary, context);
    Map<ResourceID, Deployment> desired = new LinkedHashMap<>();
    resolved.enabledComponents().forEach(c -> {
      Deployment d = DeploymentBuilder.build(plan.deploymentStack(resolved, c), c);
      SecretDigests.keepWhileMissing(resolved, d, context.getSecondaryResources(Deployment.class).stream()
          .filter(l -> l.getMetadata().getName().equals(d.getMetadata().getName())).findFirst());
      plan.heldReplicas(c).ifPresent(d.getSpec()::setReplicas);
      if (plan.drain().migrating(c)) {
        d.getSpec().setProgressDeadlineSeconds(DrainDecision.migrationTimeoutSeconds(resolved));
      }
      desired.put(ResourceID.fromResource(d), d);
    });
    return desired;
  }
}
