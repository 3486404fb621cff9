package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.api.v1alpha1.DatabaseSpec;
import io.pistack.operator.api.v1alpha1.ExternalDatabaseSpec;
import io.pistack.operator.api.v1alpha1.IngressSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import io.pistack.operator.api.v1alpha1.SecretRef;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EnvironmentBuilderTest {
  @Test
  void dashboardIsWiredToItsPeersAndTheEmbeddedDatabase() {
    Map<String, EnvVar> env = env(TestStacks.minimal(), Component.DASHBOARD);
    assertThat(value(env, "PI_VARIABLE_PAN_RENDERER_URL")).isEqualTo("http://acme-renderer:9915");
    assertThat(value(env, "PI_VARIABLE_PAN_SCHEDULER_URL")).isEqualTo("http://acme-scheduler:9917");
    assertThat(value(env, "PI_VARIABLE_ANALYTICS_SERVER_URL")).isEqualTo("http://acme-analytics:9918");
    // The internal port is on the internal Service only, never on the public one.
    assertThat(value(env, "RENDERER_DASHBOARD_URL")).isEqualTo("http://acme-dashboard-private:28748/pi");
    assertThat(value(env, "PI_EXTERNAL_DB")).isEqualTo("true");
    assertThat(value(env, "PI_DB_HOST")).isEqualTo("acme-db");
    assertThat(value(env, "PI_DB_PORT")).isEqualTo("3306");
    assertThat(value(env, "PI_DB_SCHEMA_NAME")).isEqualTo("dashboard");
    assertThat(env.get("PI_DB_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("acme-db-credentials");
    assertThat(env.get("PI_LICENCE").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("licence");
    assertThat(value(env, "PI_TOMCAT_MAX_MEMORY")).isEqualTo("3072");
    assertThat(env).doesNotContainKey("PI_PROXY_ENABLED");
  }

  @Test
  void secretsAreReferencedNeverCopied() {
    env(TestStacks.minimal(), Component.DASHBOARD).values().stream()
        .filter(e -> e.getName().endsWith("PASSWORD") || e.getName().endsWith("USERNAME") || e.getName().equals("PI_LICENCE"))
        .forEach(e -> {
          assertThat(e.getValue()).isEmpty();
          assertThat(e.getValueFrom().getSecretKeyRef()).isNotNull();
        });
  }

  @Test
  void schedulerKnowsTheDashboardAndTheDatabase() {
    Map<String, EnvVar> env = env(TestStacks.minimal(), Component.SCHEDULER);
    assertThat(value(env, "SCHEDULER_DASHBOARD_URL")).isEqualTo("http://acme-dashboard:8224/pi");
    assertThat(env).containsKeys("PI_DB_HOST", "PI_DB_USERNAME", "PI_DB_PASSWORD").doesNotContainKey("PI_LICENCE");
  }

  @Test
  void externalDatabaseWiring() {
    PiStack s = TestStacks.minimal();
    s.getSpec().database = new DatabaseSpec();
    s.getSpec().database.external = new ExternalDatabaseSpec();
    s.getSpec().database.external.host = "repo.example.com";
    s.getSpec().database.external.port = 3307;
    s.getSpec().database.external.mysql = true;
    s.getSpec().database.external.credentialsSecret = new SecretRef();
    s.getSpec().database.external.credentialsSecret.name = "repo-creds";
    s.getSpec().database.external.credentialsSecret.usernameKey = "user";
    Map<String, EnvVar> env = env(s, Component.DASHBOARD);
    assertThat(value(env, "PI_DB_HOST")).isEqualTo("repo.example.com");
    assertThat(value(env, "PI_DB_PORT")).isEqualTo("3307");
    assertThat(value(env, "PI_DB_IS_MYSQL")).isEqualTo("true");
    assertThat(env.get("PI_DB_USERNAME").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("user");
    assertThat(env.get("PI_DB_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("repo-creds");
  }

  @Test
  void ingressDrivesTheProxySettingsAndSecureCookies() {
    PiStack s = TestStacks.minimal();
    s.getSpec().ingress = new IngressSpec();
    s.getSpec().ingress.enabled = true;
    s.getSpec().ingress.host = "pi.example.com";
    s.getSpec().ingress.tlsSecretName = "tls";
    Map<String, EnvVar> env = env(s, Component.DASHBOARD);
    assertThat(value(env, "PI_PROXY_ENABLED")).isEqualTo("true");
    assertThat(value(env, "PI_PROXY_SCHEME")).isEqualTo("https");
    assertThat(value(env, "PI_PROXY_HOST")).isEqualTo("pi.example.com");
    assertThat(value(env, "PI_PROXY_PORT")).isEqualTo("443");
    assertThat(value(env, "PI_PROXY_IS_SECURE")).isEqualTo("true");
    assertThat(value(env, "PI_TOMCAT_COOKIE_SECURE")).isEqualTo("true");
    s.getSpec().ingress.tlsSecretName = null;
    env = env(s, Component.DASHBOARD);
    assertThat(value(env, "PI_PROXY_SCHEME")).isEqualTo("http");
    assertThat(value(env, "PI_PROXY_PORT")).isEqualTo("80");
    assertThat(env).doesNotContainKey("PI_TOMCAT_COOKIE_SECURE");
  }

  @Test
  void tomcatMemoryFollowsTheLimitUnlessGiven() {
    PiStack s = TestStacks.minimal();
    s.getSpec().dashboard = new DashboardSpec();
    s.getSpec().dashboard.resources = new ResourceRequirementsBuilder()
        .addToLimits("memory", new Quantity("6Gi")).build();
    assertThat(value(env(s, Component.DASHBOARD), "PI_TOMCAT_MAX_MEMORY")).isEqualTo("5120");
    s.getSpec().dashboard.tomcatMaxMemoryMb = 2000;
    assertThat(value(env(s, Component.DASHBOARD), "PI_TOMCAT_MAX_MEMORY")).isEqualTo("2000");
  }

  @Test
  void disabledPeersAreNotAdvertisedAndUserEnvWins() {
    PiStack s = TestStacks.minimal();
    s.getSpec().renderer = new ScalableComponentSpec();
    s.getSpec().renderer.enabled = false;
    s.getSpec().dashboard = new DashboardSpec();
    s.getSpec().dashboard.env = List.of(new EnvVarBuilder().withName("TZ").withValue("Europe/London").build());
    Map<String, EnvVar> env = env(s, Component.DASHBOARD);
    assertThat(env).doesNotContainKeys("PI_VARIABLE_PAN_RENDERER_URL", "PAN_RENDERER_URL");
    assertThat(value(env, "TZ")).isEqualTo("Europe/London");
  }

  private static Map<String, EnvVar> env(PiStack s, Component c) {
    return EnvironmentBuilder.build(TestStacks.resolved(s), c).stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e));
  }

  private static String value(Map<String, EnvVar> env, String name) {
    assertThat(env).containsKey(name);
    return env.get(name).getValue();
  }
}
