package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;

/**
 * Startup, readiness and liveness probes on each component's real endpoint (pi-facts.md §2): its
 * health path over HTTP, or a TCP connect when it has none. The startup allowance is the
 * component's {@link Component#startupFailures()} x 10 s.
 */
public final class ProbeBuilder {
  private ProbeBuilder() {}

  public static Probe startup(Component c) {
    return probe(c, 10, 5, c.startupFailures());
  }

  /**
   * The dashboard's startup allowance covers a schema migration: at least
   * spec.upgrade.migrationTimeoutSeconds (default 600 s, the same as before it existed), so a long
   * migration is not killed half-way (which would leave the schema locked).
   */
  public static Probe startup(ResolvedStack stack, Component c) {
    if (c != Component.main()) {
      return startup(c);
    }
    int failures = Math.max(c.startupFailures(), (DrainDecision.migrationTimeoutSeconds(stack) + 9) / 10);
    return probe(c, 10, 5, failures);
  }

  public static Probe readiness(Component c) {
    return probe(c, 10, 5, 3);
  }

  public static Probe liveness(Component c) {
    return probe(c, 30, 10, 5);
  }

  private static Probe probe(Component c, int period, int timeout, int failures) {
    var b = new io.fabric8.kubernetes.api.model.ProbeBuilder()
        .withPeriodSeconds(period)
        .withTimeoutSeconds(timeout)
        .withFailureThreshold(failures)
        .withSuccessThreshold(1);
    if (c.healthPath() == null) {
      b.withNewTcpSocket().withPort(new IntOrString(c.port())).endTcpSocket();
    } else {
      b.withNewHttpGet().withPath(c.healthPath()).withPort(new IntOrString(c.port()))
          .withScheme("HTTP").endHttpGet();
    }
    return b.build();
  }
}
