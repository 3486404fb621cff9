package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.ComponentVolumeSettings;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import java.util.List;
import java.util.Optional;

/**
 * spec.storage with its defaults (built by {@link ResolvedStack#storage()}): the shared volume, the
 * components' own volumes, and whether the data goes with the stack.
 */
public final class StorageSettings {
  public static final String DEFAULT_SHARED_SIZE = "5Gi";

  private final StorageSpec storage;
  private final ResolvedStack stack;

  StorageSettings(StorageSpec storage, ResolvedStack stack) {
    this.storage = storage;
    this.stack = stack;
  }

  public String sharedSize() {
    return storage == null || storage.size == null ? DEFAULT_SHARED_SIZE : storage.size;
  }

  public Optional<String> sharedStorageClass() {
    return Optional.ofNullable(storage == null ? null : storage.storageClassName);
  }

  public List<String> sharedAccessModes() {
    if (storage == null || storage.accessModes == null || storage.accessModes.isEmpty()) {
      return List.of(StorageSpec.AccessMode.ReadWriteMany.name());
    }
    return storage.accessModes.stream().map(Enum::name).toList();
  }

  /** Data (shared PVC, DB volume, generated credentials) is deleted with the stack only on opt-in. */
  public boolean deleteDataWithStack() {
    return storage != null && Boolean.TRUE.equals(storage.deleteWithStack);
  }

  public static boolean deleteDataWithStack(PiStackSpec spec) {
    return spec != null && spec.storage != null && Boolean.TRUE.equals(spec.storage.deleteWithStack);
  }

  public String volumeSize(Component c) {
    String given = stack.component(c) instanceof ComponentVolumeSettings v ? v.storageSize() : null;
    return given == null ? c.volume().defaultSize() : given;
  }

  public Optional<String> volumeStorageClass(Component c) {
    return Optional.ofNullable(stack.component(c) instanceof ComponentVolumeSettings v ? v.storageClassName() : null);
  }
}
