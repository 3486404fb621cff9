package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteSpecBuilder;
import io.pistack.operator.api.v1alpha1.HttpRouteSpec;

/**
 * The dashboard's HTTPRoute (gateway.networking.k8s.io/v1): attached to the Gateway the user names, the public host,
 * the path prefix (default /pi) to the dashboard Service's main port, never the internal one (docs/network.md).
 * Every field the API server would default is written out (group, kind, weight, path type), so the live route
 * matches the desired one and a no-op reconcile writes nothing.
 */
public final class HttpRouteBuilder {
  public static final String GROUP = "gateway.networking.k8s.io";
  public static final String GATEWAY_KIND = "Gateway";
  /** The route's conditions per parent (status.parents[].conditions) that the stack's status reads. */
  public static final String ACCEPTED = "Accepted";
  public static final String RESOLVED_REFS = "ResolvedRefs";

  private HttpRouteBuilder() {}

  public static HTTPRoute build(ResolvedStack stack) {
    Component backend = Component.main();
    HttpRouteSpec in = stack.httpRoute();
    HttpRouteSpec.GatewayRef gw = in.gateway;
    var spec = new HTTPRouteSpecBuilder()
        .addNewParentRef().withGroup(GROUP).withKind(GATEWAY_KIND).withName(gw.name)
        .withNamespace(gw.namespace).withSectionName(gw.sectionName).endParentRef()
        .withHostnames(in.host)
        .addNewRule()
        .addNewMatch().withNewPath().withType("PathPrefix").withValue(stack.routePath()).endPath().endMatch()
        .addNewBackendRef().withGroup("").withKind("Service").withName(stack.name(backend))
        .withPort(backend.port()).withWeight(1).endBackendRef()
        .endRule();
    HTTPRoute route = new HTTPRoute();
    route.setMetadata(ChildMetadata.of(stack, stack.name(), backend.part()));
    route.setSpec(spec.build());
    return route;
  }
}
