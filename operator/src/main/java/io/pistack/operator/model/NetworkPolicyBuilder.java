package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stack's NetworkPolicies (docs/network.md), read from the component table: a component with an
 * internal port or an {@code onlyFrom} list gets a policy admitting, per port, only the parts that
 * may reach it; the embedded database admits only the components that use it, the backup and restore
 * pods. The main component's public ports admit spec.networkPolicy.dashboardFrom, by default anyone.
 * Ports probed by the operator's health checks also admit the operator's pods (any namespace).
 * Ingress only: nothing restricts what the pods may reach.
 */
public final class NetworkPolicyBuilder {
  /** The label of the operator's pods (the chart's app.kubernetes.io/name). */
  public static final Map<String, String> OPERATOR_POD = Map.of(Labels.NAME, "pi-operator");
  /** The parts of the backup and restore Jobs' pods, which reach the database. */
  static final List<String> DATABASE_JOBS = List.of("backup", "restore");

  private NetworkPolicyBuilder() {}

  /** Every policy of the stack, none when spec.networkPolicy.enabled is false. */
  public static List<NetworkPolicy> build(ResolvedStack stack) {
    List<NetworkPolicy> all = new ArrayList<>();
    if (!stack.networkPoliciesEnabled()) {
      return all;
    }
    for (Component c : stack.enabledComponents()) {
      if (!c.internalPorts().isEmpty() || !c.onlyFrom().isEmpty()) {
        all.add(component(stack, c));
      }
    }
    if (stack.embeddedDatabase()) {
      all.add(database(stack));
    }
    return all;
  }

  static NetworkPolicy component(ResolvedStack stack, Component c) {
    List<NetworkPolicyIngressRule> rules = new ArrayList<>();
    for (ComponentDefinition.NamedPort p : c.ports()) {
      List<NetworkPolicyPeer> from = new ArrayList<>();
      if (p.internal()) {
        p.from().forEach(part -> from.add(part(stack, part)));
      } else if (!c.onlyFrom().isEmpty()) {
        c.onlyFrom().forEach(part -> from.add(part(stack, part)));
      } else if (c == Component.main()) {
        from.addAll(stack.dashboardFrom());
      }
      boolean anyone = from.isEmpty();
      if (!anyone && p.number() == c.port()) {
        from.add(operator()); // the operator's health checks
      }
      rules.add(rule(anyone ? null : from, p.number()));
    }
    return policy(stack, stack.name(c), c.part(), rules);
  }

  static NetworkPolicy database(ResolvedStack stack) {
    List<NetworkPolicyPeer> from = new ArrayList<>();
    for (Component c : Component.values()) {
      if (c.usesDatabase()) {
        from.add(part(stack, c.part()));
      }
    }
    DATABASE_JOBS.forEach(part -> from.add(part(stack, part)));
    from.add(operator());
    return policy(stack, stack.databaseName(), "db", List.of(rule(from, ServiceBuilder.DB_PORT)));
  }

  private static NetworkPolicy policy(ResolvedStack stack, String name, String part,
      List<NetworkPolicyIngressRule> rules) {
    NetworkPolicy np = new NetworkPolicy();
    np.setMetadata(ChildMetadata.of(stack, name, part));
    np.setSpec(new NetworkPolicySpecBuilder()
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(stack, part)).build())
        .withPolicyTypes("Ingress")
        .withIngress(rules)
        .build());
    return np;
  }

  /** A rule for one port; {@code from} null admits anyone. */
  private static NetworkPolicyIngressRule rule(List<NetworkPolicyPeer> from, int port) {
    return new NetworkPolicyIngressRuleBuilder().withFrom(from)
        .withPorts(new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(port)).build())
        .build();
  }

  /** The pods of one part of this stack (same namespace). */
  private static NetworkPolicyPeer part(ResolvedStack stack, String part) {
    return new NetworkPolicyPeerBuilder()
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(stack, part)).build()).build();
  }

  /** The operator's pods, in whichever namespace it runs. */
  private static NetworkPolicyPeer operator() {
    return new NetworkPolicyPeerBuilder()
        .withNamespaceSelector(new LabelSelectorBuilder().build())
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(OPERATOR_POD).build()).build();
  }
}
