package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.SpecWarnings.Warning;
import java.util.List;

/**
 * Advice on a legal HTTPRoute that is almost certainly wrong (docs/exposure.md): several dashboards without sticky
 * sessions (HTTPRoute's sessionPersistence is not in the Gateway API's standard channel), and a dashboard that serves
 * HTTPS behind a route for which the operator makes no BackendTLSPolicy.
 */
final class RouteWarnings {
  private RouteWarnings() {}

  static void add(List<Warning> w, ResolvedStack r) {
    PiStack stack = r.source();
    if (!r.httpRouteEnabled() || !r.enabled(Component.DASHBOARD)) {
      return;
    }
    String service = r.name(Component.DASHBOARD);
    int dashboards = r.sizing(Component.DASHBOARD).maxReplicas();
    if (dashboards > 1) {
      w.add(new Warning("spec.httpRoute", SpecWarnings.ROUTE_WITHOUT_STICKY_SESSIONS, "up to " + dashboards
          + " dashboards behind an HTTPRoute, which has no sticky sessions in the Gateway API's standard channel:"
          + " users are logged out when a request reaches another dashboard pod; run one dashboard, or set your"
          + " Gateway implementation's session affinity for Service " + service + " (docs/exposure.md)"));
    }
    var https = stack.getSpec().dashboard == null ? null : stack.getSpec().dashboard.https;
    if (https != null && Boolean.TRUE.equals(https.enabled)) {
      w.add(new Warning("spec.httpRoute", SpecWarnings.ROUTE_TO_HTTPS_DASHBOARD, "the dashboard serves HTTPS"
          + " (spec.dashboard.https) but the operator makes no BackendTLSPolicy: create one for Service " + service
          + ", or the Gateway speaks HTTP to the TLS port (docs/exposure.md)"));
    }
  }
}
