package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.pistack.operator.model.ComponentDefinition.Link;
import io.pistack.operator.model.ComponentDefinition.NamedPort;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who may reach which port of a stack's pods (docs/security.md#network-policies), read from the
 * component table: a component's port admits the enabled components whose environment links to it
 * (the dashboard's PI_VARIABLE_PAN_RENDERER_URL reaches the renderer's 9915, the scheduler's
 * SCHEDULER_DASHBOARD_URL the dashboard's 8224, ...), the parts the table names for it (an internal
 * port's callers, a component's {@code onlyFrom}), and on its main port the operator's health checks.
 * The main component's public ports admit anyone unless spec.networkPolicy.dashboardFrom narrows
 * them; the stack's own callers are admitted then too. The embedded database admits the components
 * that use it and the backup and restore Jobs' pods (the operator never connects to it). A port no
 * one may reach gets no admission at all: every component is default-deny.
 */
public final class TrafficMatrix {
  /** The parts of the backup and restore Jobs' pods, which reach the database. */
  static final List<String> DATABASE_JOBS = List.of("backup", "restore");

  private TrafficMatrix() {}

  /**
   * Who may reach one port of one part's pods.
   *
   * @param part the receiving pods' part (a component part, or "db")
   * @param port the port
   * @param fromParts the stack's parts admitted (same namespace, same stack)
   * @param operator true when the operator's health checks are admitted
   * @param userPeers the user's peers (spec.networkPolicy.dashboardFrom), on the main component's public ports
   * @param anyone true when anyone may reach it (then the other fields say nothing)
   */
  public record Admission(String part, int port, List<String> fromParts, boolean operator,
      List<NetworkPolicyPeer> userPeers, boolean anyone) {
    public Admission {
      fromParts = List.copyOf(fromParts);
      userPeers = List.copyOf(userPeers);
    }
  }

  /** Every admission of the stack, per enabled component and port, then the embedded database's. */
  public static List<Admission> of(ResolvedStack stack) {
    List<Admission> all = new ArrayList<>();
    for (Component c : stack.enabledComponents()) {
      all.addAll(of(stack, c));
    }
    if (stack.database().embedded()) {
      all.add(database(stack));
    }
    return all;
  }

  /** The admissions of one component's ports; a port nobody may reach has none. */
  public static List<Admission> of(ResolvedStack stack, Component c) {
    List<Admission> out = new ArrayList<>();
    for (NamedPort p : c.ports()) {
      List<String> parts = callers(stack, c, p);
      boolean operator = p.number() == c.port();
      if (c == Component.main() && !p.internal()) {
        List<NetworkPolicyPeer> user = stack.dashboardFrom();
        out.add(user.isEmpty() ? new Admission(c.part(), p.number(), List.of(), false, List.of(), true)
            : new Admission(c.part(), p.number(), parts, operator, user, false));
      } else if (!parts.isEmpty() || operator) {
        out.add(new Admission(c.part(), p.number(), parts, operator, List.of(), false));
      }
    }
    return out;
  }

  /** The parts of the stack that call this port of {@code target}: by the table, and by their environment's links. */
  static List<String> callers(ResolvedStack stack, Component target, NamedPort port) {
    Set<String> parts = new LinkedHashSet<>(port.internal() ? port.from() : target.onlyFrom());
    for (Component caller : stack.enabledComponents()) {
      if (caller == target) {
        continue; // a component's link to itself is an address it hands to others (RENDERER_DASHBOARD_URL)
      }
      for (ComponentDefinition.EnvSource source : caller.env()) {
        if (source instanceof Link link && link.target().equals(target.part()) && link.port().equals(port.name())) {
          parts.add(caller.part());
        }
      }
    }
    parts.removeIf(part -> !enabledPart(stack, part));
    return List.copyOf(parts);
  }

  static Admission database(ResolvedStack stack) {
    List<String> parts = new ArrayList<>();
    for (Component c : stack.enabledComponents()) {
      if (c.usesDatabase()) {
        parts.add(c.part());
      }
    }
    parts.addAll(DATABASE_JOBS);
    return new Admission("db", ServiceBuilder.DB_PORT, parts, false, List.of(), false);
  }

  private static boolean enabledPart(ResolvedStack stack, String part) {
    for (Component c : Component.values()) {
      if (c.part().equals(part)) {
        return stack.enabled(c);
      }
    }
    return true; // not a component (a Job's part)
  }
}
