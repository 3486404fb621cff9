package io.pistack.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import java.util.List;

/**
 * A component's pods as the user shapes them (built by {@link ResolvedStack#pod}): the security
 * contexts (the table's defaults, the user's fields winning), and the extra volumes, mounts, init
 * containers and sidecars, read from the schemaless spec as the API server stores them.
 */
public final class ComponentPod {
  private static final io.fabric8.kubernetes.client.utils.KubernetesSerialization KUBERNETES_JSON =
      new io.fabric8.kubernetes.client.utils.KubernetesSerialization();

  private final ComponentSpec spec;
  private final Long imageUser;

  ComponentPod(ComponentSpec spec, Long imageUser) {
    this.spec = spec;
    this.imageUser = imageUser;
  }

  /** The component's pod security context: the table's default, the user's fields winning. */
  public io.fabric8.kubernetes.api.model.PodSecurityContext podSecurityContext() {
    return PodSecurity.pod(imageUser, spec.podSecurityContext);
  }

  /** The component's container security context: the default, the user's fields winning. */
  public io.fabric8.kubernetes.api.model.SecurityContext securityContext() {
    return PodSecurity.container(spec.securityContext);
  }

  public List<Volume> extraVolumes() {
    return typed(spec.extraVolumes, Volume.class);
  }

  public List<VolumeMount> extraVolumeMounts() {
    List<VolumeMount> m = spec.extraVolumeMounts;
    return m == null ? List.of() : m.stream().map(ComponentPod::asServed).toList();
  }

  public List<Container> initContainers() {
    return typed(spec.initContainers, Container.class).stream().map(ComponentPod::mountsAsServed).toList();
  }

  public List<Container> sidecars() {
    return typed(spec.sidecars, Container.class).stream().map(ComponentPod::mountsAsServed).toList();
  }

  /**
   * A user's mount as the API server stores it: {@code readOnly: false} is dropped there (omitempty),
   * so a desired object that kept it would differ from the live one on every reconcile and be applied
   * again and again.
   */
  private static VolumeMount asServed(VolumeMount m) {
    return Boolean.FALSE.equals(m.getReadOnly()) ? new VolumeMountBuilder(m).withReadOnly(null).build() : m;
  }

  private static Container mountsAsServed(Container c) {
    return c.getVolumeMounts() == null ? c : new ContainerBuilder(c)
        .withVolumeMounts(c.getVolumeMounts().stream().map(ComponentPod::asServed).toList()).build();
  }

  /**
   * Schemaless in the CRD (its size): read as the Kubernetes type; the API server validates them. Also
   * spec.networkPolicy.dashboardFrom ({@link ResolvedStack#dashboardFrom}).
   */
  static <T> List<T> typed(List<JsonNode> nodes, Class<T> type) {
    if (nodes == null) {
      return List.of();
    }
    return nodes.stream().map(n -> KUBERNETES_JSON.convertValue(n, type)).toList();
  }
}
