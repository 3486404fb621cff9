package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shape of the rendered policies; who they admit is evaluated in PoliciesAdmitTheStacksTrafficTest. */
class NetworkPolicyBuilderTest {
  static final OperatorIdentity OPERATOR = OperatorIdentity.in("pi-system",
      Map.of(Labels.NAME, "pi-operator", Labels.INSTANCE, "ops"));

  static NetworkPolicy named(List<NetworkPolicy> all, String name) {
    return all.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElseThrow();
  }

  static Optional<NetworkPolicyIngressRule> rule(NetworkPolicy p, int port) {
    return p.getSpec().getIngress().stream()
        .filter(r -> r.getPorts().stream().anyMatch(x -> x.getPort().getIntVal() == port)).findFirst();
  }

  static List<String> components(NetworkPolicyIngressRule r) {
    return r.getFrom().stream().filter(p -> p.getNamespaceSelector() == null && p.getPodSelector() != null)
        .map(p -> p.getPodSelector().getMatchLabels().get(Labels.COMPONENT)).toList();
  }

  static boolean admitsTheOperator(NetworkPolicyIngressRule r) {
    return r.getFrom().stream().anyMatch(p -> p.getNamespaceSelector() != null && p.getPodSelector() != null
        && p.getNamespaceSelector().getMatchLabels().equals(Map.of("kubernetes.io/metadata.name", "pi-system"))
        && p.getPodSelector().getMatchLabels().equals(OPERATOR.podLabels()));
  }

  static List<NetworkPolicy> build(String yaml) {
    return NetworkPolicyBuilder.build(TestStacks.resolved(yaml).withOperator(OPERATOR));
  }

  @Test
  void everyComponentAndTheDatabaseArePolicedIngressOnly() {
    List<NetworkPolicy> all = NetworkPolicyBuilder.build(TestStacks.resolved(TestStacks.minimal()).withOperator(OPERATOR));
    assertThat(all).extracting(p -> p.getMetadata().getName()).containsExactly("acme-dashboard", "acme-scheduler",
        "acme-analytics", "acme-renderer", "acme-excel-reader", "acme-db");
    assertThat(all).allSatisfy(p -> {
      assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress");
      assertThat(p.getSpec().getEgress()).isNullOrEmpty();
      assertThat(p.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "pi-operator");
    });

    NetworkPolicy dashboard = named(all, "acme-dashboard");
    assertThat(dashboard.getSpec().getPodSelector().getMatchLabels())
        .containsEntry(Labels.COMPONENT, "dashboard").containsEntry(Labels.INSTANCE, "acme");
    assertThat(rule(dashboard, 8224).orElseThrow().getFrom()).as("the public port: anyone").isNullOrEmpty();
    NetworkPolicyIngressRule internal = rule(dashboard, 28748).orElseThrow();
    assertThat(components(internal)).containsExactly("renderer");
    assertThat(admitsTheOperator(internal)).as("the operator probes only the main port").isFalse();

    NetworkPolicyIngressRule scheduler = rule(named(all, "acme-scheduler"), 9917).orElseThrow();
    assertThat(components(scheduler)).containsExactly("dashboard");
    assertThat(admitsTheOperator(scheduler)).isTrue();
    assertThat(components(rule(named(all, "acme-excel-reader"), 9916).orElseThrow())).containsExactly("dashboard");

    NetworkPolicyIngressRule db = rule(named(all, "acme-db"), 3306).orElseThrow();
    assertThat(components(db)).containsExactly("dashboard", "scheduler", "backup", "restore");
    assertThat(admitsTheOperator(db)).as("the operator never connects to the embedded database").isFalse();
    assertThat(db.getFrom()).allSatisfy(p -> {
      assertThat(p.getNamespaceSelector()).isNull();
      assertThat(p.getPodSelector().getMatchLabels()).containsEntry(Labels.INSTANCE, "acme");
    });
  }

  @Test
  void theOperatorIsAdmittedFromItsNamespaceAndReleaseOnly() {
    NetworkPolicyIngressRule r = rule(named(build("  version: \"2025_10.1\"\n"), "pi-renderer"), 9915).orElseThrow();
    NetworkPolicyPeer operator = r.getFrom().stream().filter(p -> p.getNamespaceSelector() != null).findFirst()
        .orElseThrow();
    assertThat(operator.getNamespaceSelector().getMatchLabels())
        .isEqualTo(Map.of("kubernetes.io/metadata.name", "pi-system"));
    assertThat(operator.getPodSelector().getMatchLabels())
        .isEqualTo(Map.of(Labels.NAME, "pi-operator", Labels.INSTANCE, "ops"));
    // Outside the cluster it has no namespace: admitted nowhere.
    assertThat(NetworkPolicyBuilder.build(TestStacks.resolved("  version: \"2025_10.1\"\n")))
        .allSatisfy(p -> assertThat(p.getSpec().getIngress()).allSatisfy(rule -> assertThat(rule.getFrom() == null
            || rule.getFrom().stream().noneMatch(x -> x.getNamespaceSelector() != null)).isTrue()));
  }

  @Test
  void qdrantIsReachableOnlyFromTheDashboardAndTheOperator() {
    NetworkPolicy qdrant = named(build("""
          version: "2025_10.1"
          qdrant: {enabled: true}
        """), "pi-qdrant");
    assertThat(components(rule(qdrant, 6333).orElseThrow())).containsExactly("dashboard");
    assertThat(admitsTheOperator(rule(qdrant, 6333).orElseThrow())).isTrue();
    assertThat(components(rule(qdrant, 6334).orElseThrow())).containsExactly("dashboard");
    assertThat(admitsTheOperator(rule(qdrant, 6334).orElseThrow())).isFalse();
  }

  @Test
  void dashboardFromKeepsTheStacksOwnClientsAndTheOperator() {
    List<NetworkPolicy> all = build("""
          version: "2025_10.1"
          networkPolicy:
            dashboardFrom:
            - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}
        """);
    NetworkPolicyIngressRule pub = rule(named(all, "pi-dashboard"), 8224).orElseThrow();
    assertThat(pub.getFrom()).first().satisfies((NetworkPolicyPeer p) -> assertThat(
        p.getNamespaceSelector().getMatchLabels()).isEqualTo(Map.of("kubernetes.io/metadata.name", "ingress-nginx")));
    assertThat(components(pub)).as("SCHEDULER_DASHBOARD_URL").containsExactly("scheduler");
    assertThat(admitsTheOperator(pub)).as("its health checks").isTrue();

    assertThat(build("""
          version: "2025_10.1"
          networkPolicy: {enabled: false}
        """)).isEmpty();
  }

  @Test
  void aDisabledComponentIsNeitherPolicedNorAdmitted() {
    List<NetworkPolicy> all = build("""
          version: "2025_10.1"
          scheduler: {enabled: false}
          database:
            external: {host: repo.example.com, credentialsSecret: {name: pi-db}}
        """);
    assertThat(all).extracting(p -> p.getMetadata().getName())
        .containsExactly("pi-dashboard", "pi-analytics", "pi-renderer", "pi-excel-reader");
  }
}
