package io.pistack.operator.model;

import io.pistack.operator.model.SpecWarnings.Warning;
import java.util.List;

/**
 * Advice on a legal HTTPRoute that is almost certainly wrong (docs/exposure.md): several dashboards without sticky
 * sessions (HTTPRoute's sessionPersistence is not in the Gateway API's standard channel), and a dashboard that serves
 * HTTPS behind a route whose BackendTLSPolicy names no CA (the Gateway's system CAs rarely sign a certificate for
 * the in-cluster name the policy checks).
 */
final class RouteWarnings {
  private RouteWarnings() {}

  static void add(List<Warning> w, ResolvedStack r) {
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
    if (BackendTlsPolicyBuilder.wanted(r) && BackendTlsPolicyBuilder.caConfigMap(r).isEmpty()) {
      w.add(new Warning("spec.httpRoute", SpecWarnings.ROUTE_TO_HTTPS_DASHBOARD, "the dashboard serves HTTPS"
          + " (spec.dashboard.https) and its BackendTLSPolicy names no CA: the Gateway checks the certificate for "
          + service + " against its system CAs, which a private CA's certificate fails; name the CA's ConfigMap"
          + " (key ca.crt) in spec.httpRoute.backendTls.caCertificateConfigMap (docs/exposure.md)"));
    }
  }
}
