package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.ResolvedStack;
import java.util.Map;

/**
 * The own volumes of the enabled components that have one (Qdrant's). Data: never deleted by the
 * operator (no Deleter: neither when the component is disabled nor when the stack is deleted,
 * unless spec.storage.deleteWithStack gives them an owner reference). As for the shared claim, the
 * immutable fields are taken from the cluster and the size only grows. It shares the PVC informer
 * of the shared volume.
 */
public class ComponentVolumesDependent extends KubernetesDependentResource<PersistentVolumeClaim, PiStack>
    implements KubernetesBulkDependentResource<PersistentVolumeClaim, PiStack>,
    Creator<PersistentVolumeClaim, PiStack>, Updater<PersistentVolumeClaim, PiStack> {

  public ComponentVolumesDependent() {
    super(PersistentVolumeClaim.class);
  }

  @Override
  public Map<ResourceID, PersistentVolumeClaim> desiredResources(PiStack primary, Context<PiStack> context) {
    Pass pass = Pass.of(context);
    ResolvedStack stack = pass.stack();
    return Projection.byId(stack.enabledComponents().stream().filter(c -> c.volume() != null)
        .map(c -> Projection.one(pass, PersistentVolumeClaim.class, stack.volumeClaimName(c))).toList());
  }

  @Override
  protected void addReferenceHandlingMetadata(PersistentVolumeClaim desired, PiStack primary) {
    super.addReferenceHandlingMetadata(desired, primary);
    DataOwnership.apply(desired, primary);
  }
}
