package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * The claims: the shared volume (keys, themes, images, svg, custom JDBC drivers), the components'
 * own volumes, the backups'.
 */
public final class PersistentVolumeClaimBuilder {
  private PersistentVolumeClaimBuilder() {}

  public static PersistentVolumeClaim shared(ResolvedStack stack) {
    var spec = new PersistentVolumeClaimSpecBuilder()
        .withAccessModes(stack.storage().sharedAccessModes())
        .withNewResources().addToRequests("storage", new Quantity(stack.storage().sharedSize())).endResources();
    stack.storage().sharedStorageClass().ifPresent(spec::withStorageClassName);
    PersistentVolumeClaim pvc = new PersistentVolumeClaim();
    pvc.setMetadata(ChildMetadata.of(stack, stack.sharedClaimName(), "shared"));
    pvc.setSpec(spec.build());
    return pvc;
  }

  /**
   * A component's own volume (Qdrant's): ReadWriteOnce, block storage; never the shared volume.
   */
  public static PersistentVolumeClaim componentVolume(ResolvedStack stack, Component c) {
    var spec = new PersistentVolumeClaimSpecBuilder()
        .withAccessModes("ReadWriteOnce")
        .withNewResources().addToRequests("storage", new Quantity(stack.storage().volumeSize(c))).endResources();
    stack.storage().volumeStorageClass(c).ifPresent(spec::withStorageClassName);
    PersistentVolumeClaim pvc = new PersistentVolumeClaim();
    pvc.setMetadata(ChildMetadata.of(stack, stack.volumeClaimName(c), c.part()));
    pvc.setSpec(spec.build());
    return pvc;
  }

  /**
   * The database's claim {@code data-<stack>-db-0} as the operator applies it: its size only. The
   * StatefulSet controller creates the claim from the template; the operator only grows it
   * (volume expansion) when {@code database.embedded.storageSize} grows.
   */
  public static PersistentVolumeClaim database(ResolvedStack stack) {
    PersistentVolumeClaim pvc = new PersistentVolumeClaim();
    pvc.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(StatefulSetBuilder.dataClaimName(stack)).withNamespace(stack.namespace()).build());
    pvc.setSpec(new PersistentVolumeClaimSpecBuilder()
        .withNewResources().addToRequests("storage", new Quantity(stack.database().storageSize())).endResources()
        .build());
    return pvc;
  }

  /** {@code <stack>-backups}: ReadWriteOnce is enough, the backup and restore Jobs never overlap. */
  public static PersistentVolumeClaim backups(ResolvedStack stack) {
    BackupSettings settings = stack.backup();
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
