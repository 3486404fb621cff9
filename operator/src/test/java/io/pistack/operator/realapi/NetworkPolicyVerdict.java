package io.pistack.operator.realapi;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;

/**
 * Whether the NetworkPolicies of a namespace admit a connection from one pod to another's TCP port, as the
 * Kubernetes NetworkPolicy API defines it (what an enforcing plugin such as Calico or Cilium then applies): a pod no
 * Ingress policy selects admits everyone; otherwise some rule of some policy selecting it must admit the port and
 * the source. ipBlock peers are taken to match no pod (pod addresses are the plugin's choice). The test tier has
 * no enforcing plugin: this evaluates the rules the API server stored.
 */
final class NetworkPolicyVerdict {
  /** A pod as the rules see it: its namespace, that namespace's labels, its own labels. */
  record Pod(String namespace, Map<String, String> namespaceLabels, Map<String, String> labels) {}

  private NetworkPolicyVerdict() {}

  static boolean admits(List<NetworkPolicy> policiesOfTargetNamespace, Pod from, Pod to, int port) {
    List<NetworkPolicy> selecting = policiesOfTargetNamespace.stream()
        .filter(p -> isIngress(p) && matches(p.getSpec().getPodSelector(), to.labels())).toList();
    if (selecting.isEmpty()) {
      return true;
    }
    for (NetworkPolicy p : selecting) {
      for (NetworkPolicyIngressRule r : p.getSpec().getIngress() == null ? List.<NetworkPolicyIngressRule>of()
          : p.getSpec().getIngress()) {
        if (portMatches(r.getPorts(), port) && sourceMatches(r.getFrom(), p.getMetadata().getNamespace(), from)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isIngress(NetworkPolicy p) {
    List<String> types = p.getSpec().getPolicyTypes();
    return types == null || types.isEmpty() || types.contains("Ingress");
  }

  private static boolean portMatches(List<NetworkPolicyPort> ports, int port) {
    if (ports == null || ports.isEmpty()) {
      return true;
    }
    return ports.stream().anyMatch(p -> (p.getProtocol() == null || "TCP".equals(p.getProtocol()))
        && (p.getPort() == null || (p.getPort().getIntVal() != null && (p.getEndPort() == null
            ? p.getPort().getIntVal() == port : p.getPort().getIntVal() <= port && port <= p.getEndPort()))));
  }

  private static boolean sourceMatches(List<NetworkPolicyPeer> peers, String policyNamespace, Pod from) {
    if (peers == null || peers.isEmpty()) {
      return true;
    }
    for (NetworkPolicyPeer peer : peers) {
      if (peer.getIpBlock() != null) {
        continue;
      }
      boolean namespaceOk = peer.getNamespaceSelector() == null ? policyNamespace.equals(from.namespace())
          : matches(peer.getNamespaceSelector(), from.namespaceLabels());
      boolean podOk = peer.getPodSelector() == null || matches(peer.getPodSelector(), from.labels());
      if (namespaceOk && podOk) {
        return true;
      }
    }
    return false;
  }

  /** A label selector; an empty one matches everything. */
  static boolean matches(LabelSelector s, Map<String, String> labels) {
    if (s == null) {
      return true;
    }
    if (s.getMatchLabels() != null && !s.getMatchLabels().entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
      return false;
    }
    if (s.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : s.getMatchExpressions()) {
        String v = labels.get(r.getKey());
        boolean ok = switch (r.getOperator()) {
          case "In" -> v != null && r.getValues().contains(v);
          case "NotIn" -> v == null || !r.getValues().contains(v);
          case "Exists" -> v != null;
          case "DoesNotExist" -> v == null;
          default -> false;
        };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }
}
