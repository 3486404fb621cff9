package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;

/**
 * The shared PVC. Never deleted by the operator (no Deleter), not garbage collected unless the
 * user opted in. Once it exists, its immutable fields are taken from the cluster and its size
 * only ever grows (volume expansion), so a spec edit can never ask for a rejected change.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class SharedVolumeClaimDependent extends KubernetesDependentResource<PersistentVolumeClaim, PiStack>
    implements Creator<PersistentVolumeClaim, PiStack>, Updater<PersistentVolumeClaim, PiStack> {
  /** The one PVC informer, this dependent's, which the other claims' dependents use too (its workflow name). */
  public static final String EVENT_SOURCE = "shared-volume";

  public SharedVolumeClaimDependent() {
    super(PersistentVolumeClaim.class);
  }

  @Override
  protected PersistentVolumeClaim desired(PiStack primary, Context<PiStack> context) {
    Pass pass = Pass.of(context);
    return Projection.one(pass, PersistentVolumeClaim.class, pass.stack().sharedClaimName());
  }

  /** The claim's name is fixed; computing it must not call desired(), which reads the claim. */
  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(Pass.of(context).stack().sharedClaimName(), primary.getMetadata().getNamespace());
  }

  @Override
  protected void addReferenceHandlingMetadata(PersistentVolumeClaim desired, PiStack primary) {
    super.addReferenceHandlingMetadata(desired, primary);
    DataOwnership.apply(desired, primary);
  }
}
