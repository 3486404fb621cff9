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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stack's NetworkPolicies (docs/network.md, docs/security.md): one per enabled component and
 * one for the embedded database, each selecting that part's pods, type Ingress, with one rule per
 * port someone may reach ({@link TrafficMatrix} decides who). A port without a rule is closed:
 * every component is default-deny. The operator's health checks are admitted only from the
 * operator's own namespace and pods ({@link OperatorIdentity}), never by a label alone. Ingress
 * only: nothing restricts what the pods may reach.
 */
public final class NetworkPolicyBuilder {
  private NetworkPolicyBuilder() {}

  /** Every policy of the stack, none when spec.networkPolicy.enabled is false. */
  public static List<NetworkPolicy> build(ResolvedStack stack) {
    List<NetworkPolicy> all = new ArrayList<>();
    if (!stack.networkPoliciesEnabled()) {
      return all;
    }
    Map<String, List<NetworkPolicyIngressRule>> byPart = new LinkedHashMap<>();
    for (Component c : stack.enabledComponents()) {
      byPart.put(c.part(), new ArrayList<>());
    }
    for (TrafficMatrix.Admission a : TrafficMatrix.of(stack)) {
      byPart.computeIfAbsent(a.part(), k -> new ArrayList<>()).add(rule(stack, a));
    }
    byPart.forEach((part, rules) -> all.add(policy(stack, part, rules)));
    return all;
  }

  private static NetworkPolicy policy(ResolvedStack stack, String part, List<NetworkPolicyIngressRule> rules) {
    NetworkPolicy np = new NetworkPolicy();
    np.setMetadata(ChildMetadata.of(stack, stack.name() + "-" + part, part));
    np.setSpec(new NetworkPolicySpecBuilder()
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(stack, part)).build())
        .withPolicyTypes("Ingress")
        .withIngress(rules)
        .build());
    return np;
  }

  /** One port's rule: {@code from} absent admits anyone. */
  private static NetworkPolicyIngressRule rule(ResolvedStack stack, TrafficMatrix.Admission a) {
    List<NetworkPolicyPeer> from = null;
    if (!a.anyone()) {
      from = new ArrayList<>(a.userPeers());
      for (String part : a.fromParts()) {
        from.add(part(stack, part));
      }
      if (a.operator()) {
        operator(stack.operator()).ifPresent(from::add);
      }
    }
    return new NetworkPolicyIngressRuleBuilder().withFrom(from)
        .withPorts(new NetworkPolicyPortBuilder().withProtocol("TCP").withPort(new IntOrString(a.port())).build())
        .build();
  }

  /** The pods of one part of this stack (same namespace). */
  private static NetworkPolicyPeer part(ResolvedStack stack, String part) {
    return new NetworkPolicyPeerBuilder()
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(stack, part)).build()).build();
  }

  /**
   * The operator's pods: its release's labels in its own namespace only. None when the operator
   * does not know its namespace (run outside the cluster, its checks come from no pod).
   */
  static Optional<NetworkPolicyPeer> operator(OperatorIdentity identity) {
    return identity.namespace().map(ns -> new NetworkPolicyPeerBuilder()
        .withNamespaceSelector(new LabelSelectorBuilder()
            .withMatchLabels(Map.of(OperatorIdentity.NAMESPACE_NAME_LABEL, ns)).build())
        .withPodSelector(new LabelSelectorBuilder().withMatchLabels(new LinkedHashMap<>(identity.podLabels())).build())
        .build());
  }
}
