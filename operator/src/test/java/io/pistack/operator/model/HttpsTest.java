package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.pistack.operator.health.ProbeTarget;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * HTTPS served by the dashboard's Tomcat (spec.dashboard.https): the certificate Secret mounted as
 * the PEM files the image reads, the PI_TOMCAT_* variables, HTTPS probes, the Service's
 * appProtocol, the scheduler's https URL by the Service name; off by default, and nothing of it
 * on the other components or on the internal port.
 */
class HttpsTest {
  static final String ON = "  version: \"1\"\n  dashboard:\n    https:\n      enabled: true\n      secretName: pi-tls\n";

  static Map<String, String> env(ResolvedStack stack, Component c) {
    return EnvironmentBuilder.build(stack, c).stream()
        .filter(e -> e.getValue() != null && e.getValueFrom() == null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  static Container main(ResolvedStack stack, Component c) {
    return DeploymentBuilder.build(stack, c).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void theDashboardServesHttpsFromTheSecret() {
    ResolvedStack stack = TestStacks.resolved(ON);
    var pod = DeploymentBuilder.build(stack, Component.DASHBOARD).getSpec().getTemplate().getSpec();
    Volume tls = pod.getVolumes().stream().filter(v -> v.getName().equals("pi-tls")).findFirst().orElseThrow();
    assertThat(tls.getSecret().getSecretName()).isEqualTo("pi-tls");
    assertThat(tls.getSecret().getItems()).extracting(i -> i.getKey() + ">" + i.getPath())
        .containsExactly("tls.crt>fullchain.pem", "tls.key>privkey.pem");
    Container dashboard = pod.getContainers().get(0);
    assertThat(dashboard.getVolumeMounts()).filteredOn(m -> m.getName().equals("pi-tls")).singleElement()
        .satisfies(m -> {
          assertThat(m.getMountPath()).isEqualTo("/var/panintelligence/certs");
          assertThat(m.getReadOnly()).isTrue();
        });
    assertThat(env(stack, Component.DASHBOARD))
        .containsEntry("PI_TOMCAT_USE_HTTPS", "true")
        .containsEntry("PI_TOMCAT_HTTPS_CERT", "/var/panintelligence/certs/fullchain.pem")
        .containsEntry("PI_TOMCAT_HTTPS_CERT_KEY", "/var/panintelligence/certs/privkey.pem")
        .containsEntry("PI_TOMCAT_COOKIE_SECURE", "true")
        // The renderer's callback stays on the plain internal port (pi-facts.md: why 28748 exists).
        .containsEntry("RENDERER_DASHBOARD_URL", "http://pi-dashboard-private:28748/pi");
    assertThat(dashboard.getLivenessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(8224);
    for (Probe p : List.of(dashboard.getStartupProbe(), dashboard.getReadinessProbe())) {
      assertThat(p.getHttpGet().getScheme()).isEqualTo("HTTPS");
      assertThat(p.getHttpGet().getPort().getIntVal()).isEqualTo(8224);
    }
    List<ServicePort> ports = ServiceBuilder.build(stack, Component.DASHBOARD).getSpec().getPorts();
    assertThat(ports).extracting(ServicePort::getName, ServicePort::getAppProtocol)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("http", "https"));
    // The internal port is on its own Service, plain HTTP.
    assertThat(ServiceBuilder.forComponent(stack, Component.DASHBOARD)).hasSize(2).last()
        .satisfies(s -> assertThat(s.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getAppProtocol)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("internal", null)));
    // The scheduler calls the dashboard by its Service name: the certificate's SAN.
    assertThat(env(stack, Component.SCHEDULER)).containsEntry("SCHEDULER_DASHBOARD_URL", "https://pi-dashboard:8224/pi");
    // The Ingress still targets the port by name.
    assertThat(ProbeTarget.of(stack)).filteredOn(t -> t.key().equals("dashboard")).singleElement()
        .satisfies(t -> assertThat(t.http()).as("the operator's own check cannot verify the certificate").isFalse());
  }

  @Test
  void offByDefaultAndWhenNotEnabled() {
    for (String spec : List.of("  version: \"1\"\n",
        "  version: \"1\"\n  dashboard:\n    https:\n      secretName: pi-tls\n")) {
      ResolvedStack stack = TestStacks.resolved(spec);
      var pod = DeploymentBuilder.build(stack, Component.DASHBOARD).getSpec().getTemplate().getSpec();
      assertThat(pod.getVolumes()).noneMatch(v -> v.getName().equals("pi-tls"));
      assertThat(env(stack, Component.DASHBOARD)).doesNotContainKeys("PI_TOMCAT_USE_HTTPS", "PI_TOMCAT_HTTPS_CERT",
          "PI_TOMCAT_COOKIE_SECURE");
      assertThat(pod.getContainers().get(0).getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTP");
      assertThat(ServiceBuilder.build(stack, Component.DASHBOARD).getSpec().getPorts())
          .allMatch(p -> p.getAppProtocol() == null);
      assertThat(env(stack, Component.SCHEDULER)).containsEntry("SCHEDULER_DASHBOARD_URL", "http://pi-dashboard:8224/pi");
      assertThat(ProbeTarget.of(stack)).filteredOn(t -> t.key().equals("dashboard")).singleElement()
          .satisfies(t -> assertThat(t.http()).isTrue());
    }
  }

  @Test
  void onlyComponentsWhoseTableEntrySaysSoServeHttps() {
    ResolvedStack stack = TestStacks.resolved(ON);
    assertThat(List.of(Component.values())).filteredOn(c -> c.tls() != null).containsExactly(Component.DASHBOARD);
    for (Component c : List.of(Component.SCHEDULER, Component.RENDERER, Component.ANALYTICS, Component.EXCEL_READER)) {
      Container container = main(stack, c);
      assertThat(container.getVolumeMounts()).noneMatch(m -> m.getName().equals("pi-tls"));
      assertThat(env(stack, c)).doesNotContainKey("PI_TOMCAT_USE_HTTPS");
      if (container.getReadinessProbe().getHttpGet() != null) {
        assertThat(container.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTP");
      }
    }
  }

  @Test
  void enabledWithoutASecretIsRefused() {
    var problems = SpecValidator.validate(TestStacks.of("  version: \"1\"\n  dashboard:\n    https:\n      enabled: true\n"));
    assertThat(problems).anySatisfy(p -> assertThat(p.toString()).contains("spec.dashboard.https.secretName")
        .contains("kubernetes.io/tls"));
  }

  @Test
  void anIngressWithoutABackendProtocolIsWarnedAbout() {
    String spec = ON + "  ingress:\n    enabled: true\n    host: pi.example.com\n";
    assertThat(SpecWarnings.of(new ResolvedStack(TestStacks.of(spec)))).singleElement()
        .satisfies(w -> assertThat(w.reason()).isEqualTo(SpecWarnings.INGRESS_BACKEND_PROTOCOL));
    String told = spec + "    annotations:\n      nginx.ingress.kubernetes.io/backend-protocol: HTTPS\n";
    assertThat(SpecWarnings.of(new ResolvedStack(TestStacks.of(told)))).isEmpty();
    // The Ingress itself still targets the Service port by name.
    assertThat(IngressBuilder.build(TestStacks.resolved(told)).getSpec().getRules().get(0).getHttp().getPaths().get(0)
        .getBackend().getService().getPort().getName()).isEqualTo("http");
  }
}
