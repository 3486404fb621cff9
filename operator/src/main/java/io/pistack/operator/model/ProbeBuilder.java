package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;

/**
 * Startup, readiness and liveness probes on each component's real endpoint (pi-facts.md §2).
 * The dashboard may take minutes to start: its startup probe allows 10 minutes.
 */
public final class ProbeBuilder {
  /** Dashboard startup allowance: 60 x 10 s = 10 minutes (at least 5 are required). */
  static final int DASHBOARD_STARTUP_FAILURES = 60;
  static final int OTHER_STARTUP_FAILURES = 30;

  private ProbeBuilder() {}

  public static Probe startup(Component c) {
    int failures = c == Component.DASHBOARD ? DASHBOARD_STARTUP_FAILURES : OTHER_STARTUP_FAILURES;
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
