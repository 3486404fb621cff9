package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;

/**
 * Startup and readiness probes on each component's real endpoint (pi-facts.md §2): its health path
 * over HTTP, or a TCP connect when it has none. The liveness probe is a TCP connect to the main port:
 * a restart only for a process that stopped listening, while a slow or failing health path (a slow
 * database behind it, say) takes the pod out of the Service without restarting every replica at once
 * (kube-score's pod-probes-identical). The startup allowance is the
 * component's {@link Component#startupFailures()} x 10 s. The scheme is HTTPS when the component
 * serves HTTPS in this stack (its certificate is not checked by the kubelet).
 */
public final class ProbeBuilder {
  private ProbeBuilder() {}

  /**
   * The dashboard's startup allowance covers a schema migration: at least
   * spec.upgrade.migrationTimeoutSeconds (default 600 s, the same as before it existed), so a long
   * migration is not killed half-way (which would leave the schema locked).
   */
  public static Probe startup(ResolvedStack stack, Component c) {
    int failures = c != Component.main() ? c.startupFailures()
        : Math.max(c.startupFailures(), (DrainDecision.migrationTimeoutSeconds(stack) + 9) / 10);
    return probe(stack, c, 10, 5, failures);
  }

  public static Probe readiness(ResolvedStack stack, Component c) {
    return probe(stack, c, 10, 5, 3);
  }

  public static Probe liveness(ResolvedStack stack, Component c) {
    return new io.fabric8.kubernetes.api.model.ProbeBuilder().withPeriodSeconds(30).withTimeoutSeconds(10)
        .withFailureThreshold(5).withSuccessThreshold(1)
        .withNewTcpSocket().withPort(new IntOrString(c.port())).endTcpSocket().build();
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
