package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.HttpRouteSpec;
import io.pistack.operator.api.v1alpha1.IngressSpec;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.PublicAddressSpec;
import io.pistack.operator.model.SpecValidator.Problem;
import java.util.List;

/**
 * The rules of the dashboard's exposure: the Ingress, the HTTPRoute, the public address, one exposure at a time.
 * The CRD's rules again (stage ADMISSION, for `render` and older CRDs), each with its field path.
 */
final class ExposureValidator {
  private ExposureValidator() {}

  static void validate(List<Problem> p, PiStackSpec s) {
    ingress(p, s);
    route(p, s);
    address(p, s.publicAddress);
  }

  private static void ingress(List<Problem> p, PiStackSpec s) {
    if (s.ingress == null) {
      return;
    }
    IngressSpec i = s.ingress;
    if (i.tlsSecretName != null && i.host == null) {
      p.add(new Problem("spec.ingress.tlsSecretName", "TLS needs spec.ingress.host"));
    }
    if (Boolean.TRUE.equals(i.enabled) && i.host == null) {
      p.add(new Problem("spec.ingress.host", "required when the ingress is enabled"));
    }
    if (i.host != null) {
      if (i.host.startsWith("*")) {
        p.add(new Problem("spec.ingress.host", IngressSpec.WILDCARD_MESSAGE));
      } else if (!i.host.matches(IngressSpec.HOST_FORM) || i.host.length() > 253) {
        p.add(new Problem("spec.ingress.host", IngressSpec.HOST_MESSAGE));
      }
    }
    if (Boolean.TRUE.equals(i.enabled) && s.dashboard != null && Boolean.FALSE.equals(s.dashboard.enabled)) {
      p.add(new Problem("spec.ingress.enabled", PiStackSpec.INGRESS_WITHOUT_DASHBOARD));
    }
  }

  private static void route(List<Problem> p, PiStackSpec s) {
    HttpRouteSpec r = s.httpRoute;
    if (r == null) {
      return;
    }
    boolean on = Boolean.TRUE.equals(r.enabled);
    if (on && s.ingress != null && Boolean.TRUE.equals(s.ingress.enabled)) {
      p.add(new Problem("spec.httpRoute.enabled", PiStackSpec.INGRESS_AND_ROUTE));
    }
    if (on && s.dashboard != null && Boolean.FALSE.equals(s.dashboard.enabled)) {
      p.add(new Problem("spec.httpRoute.enabled", PiStackSpec.ROUTE_WITHOUT_DASHBOARD));
    }
    if (on && r.host == null) {
      p.add(new Problem("spec.httpRoute.host", HttpRouteSpec.HOST_REQUIRED_MESSAGE));
    }
    if (on && r.gateway == null) {
      p.add(new Problem("spec.httpRoute.gateway", HttpRouteSpec.GATEWAY_REQUIRED_MESSAGE));
    }
    host(p, "spec.httpRoute.host", r.host, HttpRouteSpec.SCHEME_IN_HOST_MESSAGE, HttpRouteSpec.WILDCARD_MESSAGE,
        HttpRouteSpec.HOST_MESSAGE);
    path(p, "spec.httpRoute.path", r.path);
    if (r.gateway != null) {
      HttpRouteSpec.GatewayRef g = r.gateway;
      if (g.name == null || !g.name.matches(HttpRouteSpec.GatewayRef.NAME_FORM) || g.name.length() > 253) {
        p.add(new Problem("spec.httpRoute.gateway.name", "the Gateway's name: a lower-case DNS name"));
      }
      if (g.namespace != null && (!g.namespace.matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$") || g.namespace.length() > 63)) {
        p.add(new Problem("spec.httpRoute.gateway.namespace", "a namespace name: at most 63 lower-case letters,"
            + " digits or '-'"));
      }
      if (g.sectionName != null && (!g.sectionName.matches(HttpRouteSpec.GatewayRef.SECTION_FORM)
          || g.sectionName.length() > 253)) {
        p.add(new Problem("spec.httpRoute.gateway.sectionName", "a listener name: a lower-case DNS name"));
      }
    }
  }

  private static void address(List<Problem> p, PublicAddressSpec a) {
    if (a == null) {
      return;
    }
    host(p, "spec.publicAddress.host", a.host, PublicAddressSpec.SCHEME_IN_HOST_MESSAGE,
        PublicAddressSpec.WILDCARD_MESSAGE, PublicAddressSpec.HOST_MESSAGE);
    path(p, "spec.publicAddress.path", a.path);
    if (a.port != null && (a.port < 1 || a.port > 65535)) {
      p.add(new Problem("spec.publicAddress.port", "a port from 1 to 65535"));
    }
  }

  private static void host(List<Problem> p, String field, String host, String scheme, String wildcard, String form) {
    if (host == null) {
      return;
    }
    if (host.contains("://")) {
      p.add(new Problem(field, scheme));
    } else if (host.startsWith("*")) {
      p.add(new Problem(field, wildcard));
    } else if (!host.matches(IngressSpec.HOST_FORM) || host.length() > 253) {
      p.add(new Problem(field, form));
    }
  }

  private static void path(List<Problem> p, String field, String path) {
    if (path != null && (!path.matches(PublicAddressSpec.PATH_FORM) || path.length() > 253)) {
      p.add(new Problem(field, "a path such as /pi"));
    }
  }
}
