package io.pistack.operator.health;

import java.net.URI;

/**
 * Where a {@link ProbeTarget} is reached. Production uses cluster DNS; tests point targets at a
 * local server.
 */
@FunctionalInterface
public interface ProbeAddressResolver {
  /**
   * Cluster DNS: {@code http://<service>.<namespace>.svc:<port><path>} for HTTP targets, {@code
   * tcp://<service>.<namespace>.svc:<port>} for TCP ones; an external host (one with a dot) as given.
   */
  ProbeAddressResolver CLUSTER_DNS = t -> {
    String host = t.service() ? t.host() + "." + t.namespace() + ".svc" : t.host();
    return URI.create((t.http() ? "http://" : "tcp://") + host + ":" + t.port() + (t.http() ? t.path() : ""));
  };

  /** An http:// URI for HTTP targets, a tcp://host:port URI for TCP ones. */
  URI resolve(ProbeTarget target);
}
