package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The dashboard's public address: given, or filled in by the Ingress or the HTTPRoute; PI_PROXY_* follow it. */
class PublicAddressTest {
  static final String BASE = "  version: \"2025_10.1\"\n  licence: {secretName: pi-licence}\n";
  static final String ROUTE = "  httpRoute: {enabled: true, host: pi.example.com, gateway: {name: public, namespace: gw}}\n";

  static Map<String, String> proxyEnv(String spec) {
    return EnvironmentBuilder.build(TestStacks.resolved(BASE + spec), Component.main()).stream()
        .filter(e -> e.getName().startsWith("PI_PROXY") || e.getName().equals("PI_TOMCAT_COOKIE_SECURE"))
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  @Test
  void noExposureAndNoAddressMeansNoProxySettings() {
    assertThat(proxyEnv("")).isEmpty();
    assertThat(TestStacks.resolved(BASE).publicUrl()).isEmpty();
  }

  @Test
  void aGivenAddressDrivesTheProxySettingsWithoutAnyExposure() {
    Map<String, String> env = proxyEnv("  publicAddress: {host: bi.example.com, port: 8443, path: /bi}\n");
    assertThat(env).containsEntry("PI_PROXY_ENABLED", "true").containsEntry("PI_PROXY_SCHEME", "https")
        .containsEntry("PI_PROXY_HOST", "bi.example.com").containsEntry("PI_PROXY_PORT", "8443")
        .containsEntry("PI_PROXY_IS_SECURE", "true").containsEntry("PI_TOMCAT_COOKIE_SECURE", "true");
    assertThat(TestStacks.resolved(BASE + "  publicAddress: {host: bi.example.com, port: 8443, path: /bi}\n")
        .publicUrl()).contains("https://bi.example.com:8443/bi");
  }

  @Test
  void anHttpAddressHasPort80AndNoSecureCookie() {
    assertThat(proxyEnv("  publicAddress: {scheme: http, host: bi.internal}\n"))
        .containsEntry("PI_PROXY_SCHEME", "http").containsEntry("PI_PROXY_PORT", "80")
        .containsEntry("PI_PROXY_IS_SECURE", "false").doesNotContainKey("PI_TOMCAT_COOKIE_SECURE");
  }

  @Test
  void theRouteFillsInHttpsOn443AndItsHost() {
    assertThat(proxyEnv(ROUTE)).containsEntry("PI_PROXY_SCHEME", "https").containsEntry("PI_PROXY_HOST", "pi.example.com")
        .containsEntry("PI_PROXY_PORT", "443").containsEntry("PI_TOMCAT_COOKIE_SECURE", "true");
    assertThat(TestStacks.resolved(BASE + ROUTE).publicUrl()).contains("https://pi.example.com/pi");
  }

  @Test
  void theUsersFieldsWinOverTheExposuresOneByOne() {
    Map<String, String> env = proxyEnv(ROUTE + "  publicAddress: {scheme: http}\n");
    assertThat(env).containsEntry("PI_PROXY_SCHEME", "http").containsEntry("PI_PROXY_HOST", "pi.example.com")
        .containsEntry("PI_PROXY_PORT", "80").doesNotContainKey("PI_TOMCAT_COOKIE_SECURE");
    assertThat(proxyEnv("  ingress: {enabled: true, host: pi.example.com}\n  publicAddress: {host: cdn.example.com,"
        + " scheme: https}\n")).containsEntry("PI_PROXY_HOST", "cdn.example.com").containsEntry("PI_PROXY_PORT", "443");
  }

  @Test
  void anIngressGivesWhatItAlwaysGave() {
    assertThat(proxyEnv("  ingress: {enabled: true, host: pi.example.com, tlsSecretName: t}\n"))
        .containsEntry("PI_PROXY_SCHEME", "https").containsEntry("PI_PROXY_PORT", "443")
        .containsEntry("PI_TOMCAT_COOKIE_SECURE", "true");
    assertThat(proxyEnv("  ingress: {enabled: true, host: pi.example.com}\n"))
        .containsEntry("PI_PROXY_SCHEME", "http").containsEntry("PI_PROXY_PORT", "80");
  }
}
