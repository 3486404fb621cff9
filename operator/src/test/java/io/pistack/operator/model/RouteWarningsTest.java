package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The advice on an HTTPRoute: several dashboards without sticky sessions; HTTPS to Tomcat behind a BackendTLSPolicy
 * without a CA.
 */
class RouteWarningsTest {
  static final String BASE = PublicAddressTest.BASE + PublicAddressTest.ROUTE;

  static java.util.List<String> reasons(String spec) {
    return SpecWarnings.of(new ResolvedStack(TestStacks.of(spec))).stream().map(SpecWarnings.Warning::reason).toList();
  }

  @Test
  void oneDashboardBehindARouteIsFine() {
    assertThat(reasons(BASE + "  dashboard: {replicas: 1}\n")).isEmpty();
  }

  @Test
  void severalDashboardsBehindARouteAreWarnedAbout() {
    assertThat(reasons(BASE + "  dashboard: {replicas: 2}\n")).containsExactly(SpecWarnings.ROUTE_WITHOUT_STICKY_SESSIONS);
    assertThat(reasons(PublicAddressTest.BASE + "  dashboard: {replicas: 2}\n")).isEmpty();
  }

  @Test
  void anHttpsDashboardBehindARouteWithoutACaIsWarnedAbout() {
    assertThat(reasons(BASE + "  dashboard: {replicas: 1, https: {enabled: true, secretName: t}}\n"))
        .containsExactly(SpecWarnings.ROUTE_TO_HTTPS_DASHBOARD);
  }

  @Test
  void anHttpsDashboardBehindARouteWithItsCaIsFine() {
    String route = "  httpRoute: {enabled: true, host: pi.example.com, gateway: {name: public},"
        + " backendTls: {caCertificateConfigMap: pi-ca}}\n";
    String https = "  dashboard: {replicas: 1, https: {enabled: true, secretName: t}}\n";
    assertThat(reasons(PublicAddressTest.BASE + route + https)).isEmpty();
  }
}
