package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import org.junit.jupiter.api.Test;

/** The dashboard's BackendTLSPolicy: only for an HTTPS dashboard behind a route; the CA the user names, else System. */
class BackendTlsPolicyBuilderTest {
  static final String BASE = PublicAddressTest.BASE;
  static final String HTTPS = "  dashboard: {https: {enabled: true, secretName: pi-dashboard-tls}}\n";
  static final String ROUTE_WITH_CA = "  httpRoute: {enabled: true, host: pi.example.com, gateway: {name: public},"
      + " backendTls: {caCertificateConfigMap: pi-dashboard-ca}}\n";

  @Test
  void wantedOnlyForAnHttpsDashboardBehindARoute() {
    assertThat(BackendTlsPolicyBuilder.wanted(TestStacks.resolved(BASE + PublicAddressTest.ROUTE + HTTPS))).isTrue();
    assertThat(BackendTlsPolicyBuilder.wanted(TestStacks.resolved(BASE + PublicAddressTest.ROUTE))).isFalse();
    assertThat(BackendTlsPolicyBuilder.wanted(TestStacks.resolved(BASE + HTTPS))).isFalse();
  }

  @Test
  void targetsTheDashboardsHttpsPortAndTrustsTheNamedCa() {
    BackendTLSPolicy p = BackendTlsPolicyBuilder.build(TestStacks.resolved(BASE + ROUTE_WITH_CA + HTTPS));
    assertThat(p.getMetadata().getName()).isEqualTo("pi");
    assertThat(p.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "pi-operator");
    var target = p.getSpec().getTargetRefs();
    assertThat(target).hasSize(1);
    assertThat(target.get(0).getGroup()).isEmpty();
    assertThat(target.get(0).getKind()).isEqualTo("Service");
    assertThat(target.get(0).getName()).isEqualTo("pi-dashboard");
    assertThat(target.get(0).getSectionName()).isEqualTo("http");
    var v = p.getSpec().getValidation();
    assertThat(v.getHostname()).isEqualTo("pi-dashboard");
    assertThat(v.getWellKnownCACertificates()).isNull();
    assertThat(v.getCaCertificateRefs()).singleElement().satisfies(r -> {
      assertThat(r.getGroup()).isEmpty();
      assertThat(r.getKind()).isEqualTo("ConfigMap");
      assertThat(r.getName()).isEqualTo("pi-dashboard-ca");
    });
  }

  @Test
  void withoutACaTheGatewaysSystemCasAreTrusted() {
    var v = BackendTlsPolicyBuilder.build(TestStacks.resolved(BASE + PublicAddressTest.ROUTE + HTTPS)).getSpec()
        .getValidation();
    assertThat(v.getWellKnownCACertificates()).isEqualTo("System");
    assertThat(v.getCaCertificateRefs()).isNullOrEmpty();
  }
}
