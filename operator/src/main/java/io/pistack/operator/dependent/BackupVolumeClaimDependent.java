package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;

/**
 * {@code <stack>-backups}. Data, like the shared volume: never deleted by the operator (no
 * Deleter; turning backups off leaves it), owned by the PiStack only with storage.deleteWithStack,
 * immutable fields taken from the cluster, size only grows. It shares the shared volume's PVC informer.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class BackupVolumeClaimDependent extends KubernetesDependentResource<PersistentVolumeClaim, PiStack>
    implements Creator<PersistentVolumeClaim, PiStack>, Updater<PersistentVolumeClaim, PiStack> {

  public BackupVolumeClaimDependent() {
    super(PersistentVolumeClaim.class);
  }

  @Override
  protected PersistentVolumeClaim desired(PiStack primary, Context<PiStack> context) {
    Pass pass = Pass.of(context);
    return Projection.one(pass, PersistentVolumeClaim.class, pass.stack().backup().claimName());
  }

  /** The claim's name is fixed; computing it must not call desired(), which reads the claim. */
  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(Pass.of(context).stack().backup().claimName(),
        primary.getMetadata().getNamespace());
  }

  @Override
  protected void addReferenceHandlingMetadata(PersistentVolumeClaim desired, PiStack primary) {
    super.addReferenceHandlingMetadata(desired, primary);
    DataOwnership.apply(desired, primary);
  }
}
