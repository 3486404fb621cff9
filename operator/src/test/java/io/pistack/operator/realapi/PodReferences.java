package io.pistack.operator.realapi;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which pods and pod templates of a namespace use a Secret or ConfigMap by name: as a volume (also projected), an
 * env value or envFrom, in any container or init container. The case's own objects are left out.
 */
final class PodReferences {
  private PodReferences() {}

  /** "Kind/name" of every pod or workload using {@code kind} (Secret or ConfigMap) {@code name}. */
  static List<String> users(KubernetesClient admin, String ns, String kind, String name,
      Map<String, GenericKubernetesResource> tenants) {
    List<String> out = new ArrayList<>();
    admin.apps().deployments().inNamespace(ns).list().getItems()
        .forEach(d -> add(out, d, d.getSpec().getTemplate().getSpec(), kind, name, tenants));
    admin.apps().statefulSets().inNamespace(ns).list().getItems()
        .forEach(d -> add(out, d, d.getSpec().getTemplate().getSpec(), kind, name, tenants));
    admin.batch().v1().cronjobs().inNamespace(ns).list().getItems()
        .forEach(d -> add(out, d, d.getSpec().getJobTemplate().getSpec().getTemplate().getSpec(), kind, name, tenants));
    admin.batch().v1().jobs().inNamespace(ns).list().getItems()
        .forEach(d -> add(out, d, d.getSpec().getTemplate().getSpec(), kind, name, tenants));
    admin.pods().inNamespace(ns).list().getItems().forEach(p -> add(out, p, p.getSpec(), kind, name, tenants));
    return out;
  }

  private static void add(List<String> out, HasMetadata o, PodSpec spec, String kind, String name,
      Map<String, GenericKubernetesResource> tenants) {
    if (!tenants.containsKey(o.getKind() + "/" + o.getMetadata().getName()) && uses(spec, kind, name)) {
      out.add(o.getKind() + "/" + o.getMetadata().getName());
    }
  }

  static boolean uses(PodSpec spec, String kind, String name) {
    boolean secret = "Secret".equals(kind);
    for (Volume v : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
      if (secret && v.getSecret() != null && name.equals(v.getSecret().getSecretName())
          || !secret && v.getConfigMap() != null && name.equals(v.getConfigMap().getName())) {
        return true;
      }
      if (v.getProjected() != null && v.getProjected().getSources() != null) {
        for (VolumeProjection p : v.getProjected().getSources()) {
          if (secret && p.getSecret() != null && name.equals(p.getSecret().getName())
              || !secret && p.getConfigMap() != null && name.equals(p.getConfigMap().getName())) {
            return true;
          }
        }
      }
    }
    return Stream.concat(Stream.ofNullable(spec.getContainers()).flatMap(List::stream),
            Stream.ofNullable(spec.getInitContainers()).flatMap(List::stream))
        .anyMatch(c -> usesInEnv(c, secret, name));
  }

  private static boolean usesInEnv(Container c, boolean secret, String name) {
    for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
      if (e.getValueFrom() != null && (secret && e.getValueFrom().getSecretKeyRef() != null
          && name.equals(e.getValueFrom().getSecretKeyRef().getName()) || !secret
          && e.getValueFrom().getConfigMapKeyRef() != null && name.equals(e.getValueFrom().getConfigMapKeyRef().getName()))) {
        return true;
      }
    }
    for (EnvFromSource e : c.getEnvFrom() == null ? List.<EnvFromSource>of() : c.getEnvFrom()) {
      if (secret && e.getSecretRef() != null && name.equals(e.getSecretRef().getName())
          || !secret && e.getConfigMapRef() != null && name.equals(e.getConfigMapRef().getName())) {
        return true;
      }
    }
    return false;
  }
}
