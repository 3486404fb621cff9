package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.List;

/**
 * Where the shared PVC's directories appear in a component (its {@link Component#sharedMounts()}):
 * each directory is a subPath of the one shared volume.
 */
public final class SharedVolumeMounts {
  public static final String VOLUME = "shared";

  private SharedVolumeMounts() {}

  public static List<VolumeMount> forComponent(Component c) {
    return c.sharedMounts().stream()
        .map(m -> new VolumeMountBuilder().withName(VOLUME).withSubPath(m.subPath()).withMountPath(m.mountPath())
            .build())
        .toList();
  }
}
