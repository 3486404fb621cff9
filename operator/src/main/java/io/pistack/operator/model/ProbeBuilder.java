package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;

/**
 * Startup, readiness and liveness probes on each component's real endpoint (pi-facts.md §2): its
 * health path over HTTP, or a TCP connect when it has none. The startup allowance is the
 * component's {@link Component#startupFailures()} x 10 s. The scheme is HTTPS when the component
 * serves HTTPS in this stack (its certificate is not checked by the kubelet).
 */
public final class ProbeBuilder {
  private ProbeBuilder() {}

  public static Probe startup(ResolvedStack stack, Component c) {
    return probe(stack, c, 10, 5, c.startupFailures());
  }

  public static Probe readiness(ResolvedStack stack, Component c) {
    return probe(stack, c, 10, 5, 3);
  }

  public static Probe liveness(ResolvedStack stack, Component c) {
    return probe(stack, c, 30, 10, 5);
  }

  private static Probe probe(ResolvedStack stack, Component c, int period, int timeout, int failures) {
    var b = new io.fabric8.kubernetes.api.model.ProbeBuilder()
        .withPeriodSeconds(period)
        .withTimeoutSeconds(timeout)
        .withFailureThreshold(failures)
        .withSuccessThreshold(1);
    if (c.healthPath() == null) {
      b.withNewTcpSocket().withPort(new IntOrString(c.port())).endTcpSocket();
    } else {
      b.withNewHttpGet().withPath(c.healthPath()).withPort(new IntOrString(c.port()))
          .withScheme(stack.tls(c).isPresent() ? "HTTPS" : "HTTP").endHttpGet();
    }
    return b.build();
  }
}
