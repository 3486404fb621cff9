package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an enforcing network plugin would decide for ingress, from the NetworkPolicy API's rules
 * (kubernetes.io/docs/concepts/services-networking/network-policies): a pod no Ingress policy selects
 * admits everything; a selected pod admits a connection when a rule of a policy selecting it lists the
 * port (or no ports) and a peer matching the source (or no peers). A peer with a podSelector alone
 * means pods of the policy's namespace; with a namespaceSelector, pods of the matching namespaces.
 * Pod IPs are unknown here, so an ipBlock peer matches no pod. Ports are numbers, TCP.
 */
public final class NetworkPolicyEvaluator {
  private NetworkPolicyEvaluator() {}

  /** A pod: its namespace (and that namespace's labels) and its own labels. */
  public record Pod(String namespace, Map<String, String> namespaceLabels, Map<String, String> labels) {
    public static Pod in(String namespace, Map<String, String> labels) {
      Map<String, String> ns = new HashMap<>();
      ns.put("kubernetes.io/metadata.name", namespace); // the API server's label on every namespace
      return new Pod(namespace, ns, labels);
    }
  }

  /** True when some policy selects {@code to} for ingress: from then on, only what a policy admits reaches it. */
  public static boolean isolated(List<NetworkPolicy> policies, Pod to) {
    return policies.stream()
        .filter(p -> p.getMetadata().getNamespace().equals(to.namespace()))
        .filter(p -> p.getSpec().getPolicyTypes() == null || p.getSpec().getPolicyTypes().contains("Ingress"))
        .anyMatch(p -> matches(p.getSpec().getPodSelector(), to.labels()));
  }

  public static boolean allows(List<NetworkPolicy> policies, Pod from, Pod to, int port) {
    List<NetworkPolicy> selecting = policies.stream()
        .filter(p -> p.getMetadata().getNamespace().equals(to.namespace()))
        .filter(p -> p.getSpec().getPolicyTypes() == null || p.getSpec().getPolicyTypes().contains("Ingress"))
        .filter(p -> matches(p.getSpec().getPodSelector(), to.labels()))
        .toList();
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy p : selecting) {
      for (NetworkPolicyIngressRule r : list(p.getSpec().getIngress())) {
        if (portMatches(r.getPorts(), port) && peerMatches(r.getFrom(), p.getMetadata().getNamespace(), from)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean portMatches(List<NetworkPolicyPort> ports, int port) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPort p : ports) {
      if (p.getProtocol() != null && !"TCP".equals(p.getProtocol())) {
        continue;
      }
      if (p.getPort() == null) {
        return true;
      }
      if (p.getPort().getIntVal() == null) {
        throw new IllegalArgumentException("named ports are not evaluated: " + p.getPort());
      }
      int first = p.getPort().getIntVal();
      int last = p.getEndPort() == null ? first : p.getEndPort();
      if (port >= first && port <= last) {
        return true;
      }
    }
    return false;
  }

  private static boolean peerMatches(List<NetworkPolicyPeer> peers, String policyNamespace, Pod from) {
    if (peers == null || peers.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPeer peer : peers) {
      if (peer.getIpBlock() != null) {
        continue;
      }
      boolean namespaceOk = peer.getNamespaceSelector() == null ? from.namespace().equals(policyNamespace)
          : matches(peer.getNamespaceSelector(), from.namespaceLabels());
      boolean podOk = peer.getPodSelector() == null || matches(peer.getPodSelector(), from.labels());
      if (namespaceOk && podOk) {
        return true;
      }
    }
    return false;
  }

  /** A label selector: every matchLabels entry and every expression; an empty selector matches all. */
  static boolean matches(LabelSelector s, Map<String, String> labels) {
    if (s == null) {
      return true;
    }
    if (s.getMatchLabels() != null) {
      for (var e : s.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    for (LabelSelectorRequirement r : list(s.getMatchExpressions())) {
      String v = labels.get(r.getKey());
      boolean ok = switch (r.getOperator()) {
        case "In" -> v != null && r.getValues().contains(v);
        case "NotIn" -> v == null || !r.getValues().contains(v);
        case "Exists" -> labels.containsKey(r.getKey());
        case "DoesNotExist" -> !labels.containsKey(r.getKey());
        default -> throw new IllegalArgumentException(r.getOperator());
      };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
