package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.HttpRouteSpec;
import io.pistack.operator.api.v1alpha1.IngressSpec;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.PublicAddressSpec;
import java.util.Optional;

/**
 * The dashboard's public address (scheme, host, port, path), the one source of PI_PROXY_*, the secure cookie and
 * status.url. Each field is the user's {@code spec.publicAddress} when given, else what the operator's exposure says
 * (the Ingress: https with TLS, http without; the HTTPRoute: https, since a Gateway's public listener holds the
 * certificate), else the default (https; port 443 for https, 80 for http; path /pi). No host anywhere: no address.
 */
public record PublicAddress(String scheme, String host, int port, String path) {
  public static final String DEFAULT_PATH = "/pi";

  public static Optional<PublicAddress> of(PiStackSpec spec) {
    PublicAddressSpec given = spec.publicAddress == null ? new PublicAddressSpec() : spec.publicAddress;
    String host = given.host;
    String scheme = null;
    String path = null;
    IngressSpec ingress = spec.ingress;
    HttpRouteSpec route = spec.httpRoute;
    if (ingress != null && Boolean.TRUE.equals(ingress.enabled) && ingress.host != null) {
      host = host != null ? host : ingress.host;
      scheme = ingress.tlsSecretName != null ? "https" : "http";
      path = ingress.path;
    } else if (route != null && Boolean.TRUE.equals(route.enabled) && route.host != null) {
      host = host != null ? host : route.host;
      scheme = "https";
      path = route.path;
    }
    if (host == null) {
      return Optional.empty();
    }
    if (given.scheme != null) {
      scheme = given.scheme.name();
    }
    scheme = scheme == null ? "https" : scheme;
    int port = given.port != null ? given.port : "https".equals(scheme) ? 443 : 80;
    path = given.path != null ? given.path : path != null ? path : DEFAULT_PATH;
    return Optional.of(new PublicAddress(scheme, host, port, path));
  }

  public boolean secure() {
    return "https".equals(scheme);
  }

  /** scheme://host[:port]path, the port only when it is not the scheme's own. */
  public String url() {
    boolean defaultPort = port == (secure() ? 443 : 80);
    return scheme + "://" + host + (defaultPort ? "" : ":" + port) + path;
  }
}
