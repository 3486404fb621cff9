package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatus;
import io.pistack.operator.api.v1alpha1.HttpRouteSpec;
import io.pistack.operator.health.Issue;
import io.pistack.operator.model.HttpRouteBuilder;
import io.pistack.operator.model.ResolvedStack;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The RouteAccepted condition, only while spec.httpRoute is on: what the parent Gateway's controller wrote in the
 * HTTPRoute's status.parents[] for the Gateway the stack names (its Accepted and ResolvedRefs conditions). Nobody
 * answering is RoutePending (Unknown), not silence: the message says what to check. A refusal is a fault.
 */
public record RouteVerdict(String status, Reason reason, String message, Optional<Issue> issue) {

  public static Optional<RouteVerdict> of(ResolvedStack stack, Optional<HTTPRoute> seen) {
    if (!stack.httpRouteEnabled()) {
      return Optional.empty();
    }
    HttpRouteSpec.GatewayRef gw = stack.httpRoute().gateway;
    String namespace = stack.source().getMetadata().getNamespace();
    String gateway = "Gateway " + (gw.namespace == null ? namespace : gw.namespace) + "/" + gw.name
        + (gw.sectionName == null ? "" : " (listener " + gw.sectionName + ")");
    if (seen.isEmpty()) {
      return Optional.of(pending("the HTTPRoute " + stack.name() + " is not created yet"));
    }
    HTTPRoute route = seen.get();
    List<RouteParentStatus> parents = route.getStatus() == null || route.getStatus().getParents() == null
        ? List.of() : route.getStatus().getParents();
    Optional<RouteParentStatus> ours = parents.stream().filter(p -> same(p.getParentRef(), gw, namespace)).findFirst();
    Long generation = route.getMetadata().getGeneration();
    Optional<Condition> accepted = ours.flatMap(p -> condition(p, HttpRouteBuilder.ACCEPTED));
    if (accepted.isEmpty() || "Unknown".equals(accepted.get().getStatus()) || stale(accepted.get(), generation)) {
      return Optional.of(pending("no Gateway controller has reported on the HTTPRoute " + stack.name() + " for "
          + gateway + " yet: check that this Gateway exists, that its GatewayClass has a controller, and that its"
          + " listeners allow routes from namespace " + namespace + " for host " + stack.httpRoute().host));
    }
    if ("False".equals(accepted.get().getStatus())) {
      return Optional.of(fault(Reason.ROUTE_NOT_ACCEPTED, gateway + " did not accept the HTTPRoute " + stack.name()
          + ": " + words(accepted.get())));
    }
    Optional<Condition> refs = ours.flatMap(p -> condition(p, HttpRouteBuilder.RESOLVED_REFS));
    if (refs.isPresent() && "False".equals(refs.get().getStatus())) {
      return Optional.of(fault(Reason.ROUTE_REFS_UNRESOLVED, gateway + " accepted the HTTPRoute " + stack.name()
          + " but cannot use its backend: " + words(refs.get())));
    }
    return Optional.of(new RouteVerdict("True", Reason.ACCEPTED, "accepted by " + gateway
        + (ours.get().getControllerName() == null ? "" : " (controller " + ours.get().getControllerName() + ")"),
        Optional.empty()));
  }

  private static RouteVerdict pending(String message) {
    return new RouteVerdict("Unknown", Reason.ROUTE_PENDING, message, Optional.empty());
  }

  private static RouteVerdict fault(Reason reason, String message) {
    return new RouteVerdict("False", reason, message, Optional.of(new Issue(reason.wire(), message)));
  }

  /** A parentRef names our Gateway: its namespace defaults to the route's, its group and kind to a Gateway's. */
  private static boolean same(ParentReference ref, HttpRouteSpec.GatewayRef gw, String routeNamespace) {
    if (ref == null) {
      return false;
    }
    String kind = ref.getKind() == null ? HttpRouteBuilder.GATEWAY_KIND : ref.getKind();
    String ns = ref.getNamespace() == null ? routeNamespace : ref.getNamespace();
    String wanted = gw.namespace == null ? routeNamespace : gw.namespace;
    return HttpRouteBuilder.GATEWAY_KIND.equals(kind) && Objects.equals(ref.getName(), gw.name) && ns.equals(wanted)
        && Objects.equals(ref.getSectionName(), gw.sectionName);
  }

  private static Optional<Condition> condition(RouteParentStatus p, String type) {
    return p.getConditions() == null ? Optional.empty()
        : p.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** The controller has not seen the route's latest spec yet. */
  private static boolean stale(Condition c, Long generation) {
    return generation != null && c.getObservedGeneration() != null && c.getObservedGeneration() < generation;
  }

  private static String words(Condition c) {
    return c.getReason() + (c.getMessage() == null || c.getMessage().isBlank() ? "" : ": " + c.getMessage());
  }
}
