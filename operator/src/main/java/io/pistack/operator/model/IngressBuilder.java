package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressSpecBuilder;
import io.pistack.operator.api.v1alpha1.IngressSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/** The dashboard's Ingress: only the app port 8224, under /pi. */
public final class IngressBuilder {
  private IngressBuilder() {}

  public static Ingress build(ResolvedStack stack) {
    Component backend = Component.main();
    IngressSpec in = stack.ingress();
    var spec = new IngressSpecBuilder()
        .withIngressClassName(in.className)
        .addNewRule().withHost(in.host)
        .withNewHttp().addNewPath().withPath(stack.ingressPath()).withPathType("Prefix")
        .withNewBackend().withNewService().withName(stack.name(backend))
        .withNewPort().withName("http").endPort().endService().endBackend()
        .endPath().endHttp().endRule();
    if (in.tlsSecretName != null) {
      spec.addNewTl().withHosts(in.host).withSecretName(in.tlsSecretName).endTl();
    }
    Map<String, String> annotations = new LinkedHashMap<>();
    if (in.annotations != null) {
      annotations.putAll(in.annotations);
    }
    Ingress ingress = new Ingress();
    ingress.setMetadata(ChildMetadata.of(stack, stack.name(), backend.part()));
    if (!annotations.isEmpty()) {
      ingress.getMetadata().setAnnotations(annotations);
    }
    ingress.setSpec(spec.build());
    return ingress;
  }
}
