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
}
