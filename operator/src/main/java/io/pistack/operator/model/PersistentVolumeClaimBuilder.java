package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

/** The shared volume: keys (dashboard and scheduler), themes, images, svg, custom JDBC drivers. */
public final class PersistentVolumeClaimBuilder {
  private PersistentVolumeClaimBuilder() {}

  public static PersistentVolumeClaim shared(ResolvedStack stack) {
    var spec = new PersistentVolumeClaimSpecBuilder()
        .withAccessModes(stack.sharedAccessModes())
        .withNewResources().addToRequests("storage", new Quantity(stack.sharedSize())).endResources();
    stack.sharedStorageClass().ifPresent(spec::withStorageClassName);
    PersistentVolumeClaim pvc = new PersistentVolumeClaim();
    pvc.setMetadata(ChildMetadata.of(stack, stack.sharedClaimName(), "shared"));
    pvc.setSpec(spec.build());
    return pvc;
  }

  /** {@code <stack>-backups}: ReadWriteOnce is enough, the backup and restore Jobs never overlap. */
  public static PersistentVolumeClaim backups(ResolvedStack stack) {
    BackupSettings settings = BackupSettings.of(stack);
    var spec = new PersistentVolumeClaimSpecBuilder()
        .withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new Quantity(settings.size())).endResources();
    settings.storageClassName().ifPresent(spec::withStorageClassName);
    PersistentVolumeClaim pvc = new PersistentVolumeClaim();
    pvc.setMetadata(ChildMetadata.of(stack, settings.claimName(), "backup"));
    pvc.setSpec(spec.build());
    return pvc;
  }
}
