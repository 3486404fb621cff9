package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetworkPolicyBuilderTest {
  static NetworkPolicy named(List<NetworkPolicy> all, String name) {
    return all.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  static NetworkPolicyIngressRule rule(NetworkPolicy p, int port) {
    return p.getSpec().getIngress().stream()
        .filter(r -> r.getPorts().stream().anyMatch(x -> x.getPort().getIntVal() == port)).findFirst().orElseThrow();
  }

  static List<String> components(NetworkPolicyIngressRule r) {
    return r.getFrom().stream().filter(p -> p.getNamespaceSelector() == null)
        .map(p -> p.getPodSelector().getMatchLabels().get(Labels.COMPONENT)).toList();
  }

  static boolean admitsTheOperator(NetworkPolicyIngressRule r) {
    return r.getFrom().stream().anyMatch(p -> p.getNamespaceSelector() != null && p.getPodSelector() != null
        && p.getPodSelector().getMatchLabels().equals(NetworkPolicyBuilder.OPERATOR_POD));
  }

  @Test
  void byDefaultTheDashboardAndTheDatabaseArePolicedIngressOnly() {
    List<NetworkPolicy> all = NetworkPolicyBuilder.build(TestStacks.resolved(TestStacks.minimal()));
    assertThat(all).extracting(p -> p.getMetadata().getName()).containsExactly("acme-dashboard", "acme-db");
    assertThat(all).allSatisfy(p -> {
      assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress");
      assertThat(p.getSpec().getEgress()).isNullOrEmpty();
      assertThat(p.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "pi-operator");
    });

    NetworkPolicy dashboard = named(all, "acme-dashboard");
    assertThat(dashboard.getSpec().getPodSelector().getMatchLabels())
        .containsEntry(Labels.COMPONENT, "dashboard").containsEntry(Labels.INSTANCE, "acme");
    assertThat(rule(dashboard, 8224).getFrom()).as("the public port: anyone").isNullOrEmpty();
    NetworkPolicyIngressRule internal = rule(dashboard, 28748);
    assertThat(components(internal)).containsExactly("renderer");
    assertThat(admitsTheOperator(internal)).as("the operator probes only the main port").isFalse();

    NetworkPolicyIngressRule db = rule(named(all, "acme-db"), 3306);
    assertThat(components(db)).containsExactly("dashboard", "scheduler", "backup", "restore");
    assertThat(admitsTheOperator(db)).isTrue();
    assertThat(db.getFrom()).filteredOn(p -> p.getPodSelector() != null && p.getNamespaceSelector() == null)
        .allSatisfy(p -> assertThat(p.getPodSelector().getMatchLabels()).containsEntry(Labels.INSTANCE, "acme"));
  }

  @Test
  void qdrantIsReachableOnlyFromTheDashboardAndTheOperator() {
    List<NetworkPolicy> all = NetworkPolicyBuilder.build(TestStacks.resolved("""
          version: "2025_10.1"
          qdrant: {enabled: true}
        """));
    NetworkPolicy qdrant = named(all, "pi-qdrant");
    assertThat(components(rule(qdrant, 6333))).containsExactly("dashboard");
    assertThat(admitsTheOperator(rule(qdrant, 6333))).isTrue();
    assertThat(components(rule(qdrant, 6334))).containsExactly("dashboard");
    assertThat(admitsTheOperator(rule(qdrant, 6334))).isFalse();
  }

  @Test
  void theUserSaysWhoReachesTheDashboardAndCanTurnThemOff() {
    List<NetworkPolicy> all = NetworkPolicyBuilder.build(TestStacks.resolved("""
          version: "2025_10.1"
          networkPolicy:
            dashboardFrom:
            - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
        """));
    NetworkPolicyIngressRule pub = rule(named(all, "pi-dashboard"), 8224);
    assertThat(pub.getFrom()).first().satisfies((NetworkPolicyPeer p) -> assertThat(
        p.getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "ingress-nginx")));
    assertThat(admitsTheOperator(pub)).as("its health checks").isTrue();

    assertThat(NetworkPolicyBuilder.build(TestStacks.resolved("""
          version: "2025_10.1"
          networkPolicy: {enabled: false}
        """))).isEmpty();
  }

  @Test
  void anExternalDatabaseGetsNoPolicy() {
    List<NetworkPolicy> all = NetworkPolicyBuilder.build(TestStacks.resolved("""
          version: "2025_10.1"
          database:
            external: {host: repo.example.com, credentialsSecret: {name: pi-db}}
        """));
    assertThat(all).extracting(p -> p.getMetadata().getName()).containsExactly("pi-dashboard");
  }
}
