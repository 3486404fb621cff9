package io.pistack.operator.observe;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.ResolvedStack;
import java.util.Optional;

/** The stack's HTTPRoute from the route dependent's informer, while spec.httpRoute is on (RouteVerdict reads it). */
final class RouteSeen {
  private RouteSeen() {}

  static Optional<HTTPRoute> of(ResolvedStack stack, Context<PiStack> context) {
    if (!stack.httpRouteEnabled()) {
      return Optional.empty();
    }
    try {
      return context.getSecondaryResource(HTTPRoute.class)
          .filter(r -> stack.name().equals(r.getMetadata().getName()));
    } catch (IllegalArgumentException | IllegalStateException e) {
      return Optional.empty(); // the informer is not registered (the route dependent is not active)
    }
  }
}
