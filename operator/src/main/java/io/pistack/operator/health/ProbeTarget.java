package io.pistack.operator.health;

import io.pistack.operator.model.Component;
import io.pistack.operator.model.ResolvedStack;
import java.util.ArrayList;
import java.util.List;

/**
 * One thing the operator checks actively: a component's Service (HTTP GET of its version path, or
 * a TCP connect when it publishes none) or an external database (TCP connect).
 *
 * @param key the component part (e.g. "dashboard") or {@link #DATABASE}
 * @param namespace the stack's namespace
 * @param host a Service name in {@code namespace}, or the external database host as given
 * @param port the port
 * @param path the HTTP path, or null for a TCP check
 * @param service true when {@code host} is a Service of the stack (resolved in its namespace)
 */
public record ProbeTarget(String key, String namespace, String host, int port, String path, boolean service) {
  public static final String DATABASE = "database";

  public boolean http() {
    return path != null;
  }

  /** What the operator checks for a stack: every enabled component, plus an external database. */
  public static List<ProbeTarget> of(ResolvedStack stack) {
    List<ProbeTarget> targets = new ArrayList<>();
    for (Component c : stack.enabledComponents()) {
      // A port serving HTTPS is checked by a TCP connect: the operator does not hold the stack's CA.
      String path = stack.tls(c).isPresent() ? null : c.healthPath();
      targets.add(new ProbeTarget(c.part(), stack.namespace(), stack.name(c), c.port(), path, true));
    }
    if (!stack.database().embedded() && stack.database().host() != null) {
      String host = stack.database().host();
      // A dotless host is what the dashboard pods resolve in their own namespace: a Service there.
      boolean service = !host.contains(".");
      targets.add(new ProbeTarget(DATABASE, stack.namespace(), host, stack.database().port(), null, service));
    }
    return List.copyOf(targets);
  }
}
