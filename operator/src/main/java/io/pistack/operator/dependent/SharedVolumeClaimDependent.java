package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.PersistentVolumeClaimBuilder;
import io.pistack.operator.model.ResolvedStack;

/**
 * The shared PVC. Never deleted by the operator (no Deleter), not garbage collected unless the
 * user opted in. Once it exists, its immutable fields are taken from the cluster and its size
 * only ever grows (volume expansion), so a spec edit can never ask for a rejected change.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class SharedVolumeClaimDependent extends KubernetesDependentResource<PersistentVolumeClaim, PiStack>
    implements Creator<PersistentVolumeClaim, PiStack>, Updater<PersistentVolumeClaim, PiStack> {

  public SharedVolumeClaimDependent() {
    super(PersistentVolumeClaim.class);
  }

  @Override
  protected PersistentVolumeClaim desired(PiStack primary, Context<PiStack> context) {
    PersistentVolumeClaim desired = PersistentVolumeClaimBuilder.shared(Resolved.of(primary, context));
    getSecondaryResource(primary, context).ifPresent(actual -> keepImmutable(actual, desired));
    return desired;
  }

  /** The claim's name is fixed; computing it must not call desired(), which reads the claim. */
  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(Resolved.of(primary, context).sharedClaimName(), primary.getMetadata().getNamespace());
  }

  static void keepImmutable(PersistentVolumeClaim actual, PersistentVolumeClaim desired) {
    var a = actual.getSpec();
    var d = desired.getSpec();
    d.setAccessModes(a.getAccessModes());
    d.setStorageClassName(a.getStorageClassName());
    Quantity actualSize = a.getResources() == null || a.getResources().getRequests() == null
        ? null : a.getResources().getRequests().get("storage");
    Quantity desiredSize = d.getResources().getRequests().get("storage");
    if (actualSize != null && Quantity.getAmountInBytes(actualSize)
        .compareTo(Quantity.getAmountInBytes(desiredSize)) > 0) {
      d.getResources().getRequests().put("storage", actualSize);
    }
  }

  @Override
  protected void addReferenceHandlingMetadata(PersistentVolumeClaim desired, PiStack primary) {
    super.addReferenceHandlingMetadata(desired, primary);
    DataOwnership.apply(desired, primary);
  }
}
