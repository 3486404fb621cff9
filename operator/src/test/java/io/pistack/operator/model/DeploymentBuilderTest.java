package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.SchedulerSpec;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DeploymentBuilderTest {
  @Test
  void dashboardUsesTheVendorDefaultsAndTheServerImage() {
    Deployment d = DeploymentBuilder.build(TestStacks.resolved(TestStacks.minimal()), Component.DASHBOARD);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(d.getMetadata().getName()).isEqualTo("acme-dashboard");
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(c.getImage()).isEqualTo("ghcr.io/pi-cr/server:2025_10.1");
    assertThat(c.getResources().getRequests().get("cpu").toString()).isEqualTo("2");
    assertThat(c.getResources().getLimits().get("memory").toString()).isEqualTo("4Gi");
    assertThat(c.getPorts()).extracting(p -> p.getContainerPort()).containsExactly(8224, 28748);
    assertThat(d.getSpec().getTemplate().getSpec().getEnableServiceLinks()).isFalse();
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .containsEntry(Labels.INSTANCE, "acme").containsEntry(Labels.COMPONENT, "dashboard");
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, "pi-operator");
  }

  @Test
  void dashboardProbesAllowAtLeastFiveMinutesToStart() {
    Container c = container(TestStacks.minimal(), Component.DASHBOARD);
    var startup = c.getStartupProbe();
    assertThat(startup.getHttpGet().getPath()).isEqualTo("/pi/version");
    assertThat(startup.getHttpGet().getPort().getIntVal()).isEqualTo(8224);
    assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).isGreaterThanOrEqualTo(300);
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/pi/version");
    assertThat(c.getLivenessProbe().getHttpGet()).as("liveness is not the readiness check").isNull();
    assertThat(c.getLivenessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(8224);
  }

  @Test
  void everyComponentProbesItsOwnEndpoint() {
    PiStack s = TestStacks.minimal();
    assertThat(container(s, Component.RENDERER).getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9915);
    assertThat(container(s, Component.SCHEDULER).getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9917);
    assertThat(container(s, Component.ANALYTICS).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/version");
    assertThat(container(s, Component.ANALYTICS).getImage()).isEqualTo("ghcr.io/pi-cr/pirana:2025_10.1");
    var excel = container(s, Component.EXCEL_READER);
    assertThat(excel.getReadinessProbe().getHttpGet()).isNull();
    assertThat(excel.getReadinessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(9916);
  }

  @Test
  void schedulerIsOneReplicaRecreatedAndSharesTheKeys() {
    PiStack s = TestStacks.minimal();
    s.getSpec().scheduler = new SchedulerSpec();
    s.getSpec().scheduler.replicas = 4; // rejected by the schema; clamped defensively anyway
    Deployment d = DeploymentBuilder.build(TestStacks.resolved(s), Component.SCHEDULER);
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    var mounts = d.getSpec().getTemplate().getSpec().getContainers().get(0).getVolumeMounts();
    assertThat(mounts).singleElement().satisfies(m -> {
      assertThat(m.getMountPath()).isEqualTo("/var/panintelligence/Dashboard/keys");
      assertThat(m.getSubPath()).isEqualTo("keys");
    });
    assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).singleElement()
        .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("acme-shared"));
  }

  @Test
  void dashboardMountsKeysThemesImagesSvgAndCustomJdbc() {
    var paths = container(TestStacks.minimal(), Component.DASHBOARD).getVolumeMounts().stream()
        .collect(Collectors.toMap(m -> m.getSubPath(), m -> m.getMountPath()));
    assertThat(paths).containsOnlyKeys("keys", "themes", "images", "svg", "custom_jdbc_drivers");
    assertThat(paths.get("keys")).isEqualTo("/var/panintelligence/Dashboard/keys");
    assertThat(paths.get("custom_jdbc_drivers")).isEqualTo("/var/panintelligence/Dashboard/tomcat/custom_jdbc_drivers");
  }

  @Test
  void rendererAnalyticsAndExcelReaderGetNoDatabaseCredentialsAndNoVolumes() {
    for (Component c : new Component[] {Component.RENDERER, Component.ANALYTICS, Component.EXCEL_READER}) {
      Container container = container(TestStacks.minimal(), c);
      assertThat(container.getEnv()).extracting(EnvVar::getName).noneMatch(n -> n.startsWith("PI_DB_"));
      assertThat(container.getVolumeMounts()).isEmpty();
    }
  }

  @Test
  void anAutoscaledDeploymentCarriesNoReplicas() {
    PiStack s = TestStacks.minimal();
    s.getSpec().dashboard = new DashboardSpec();
    s.getSpec().dashboard.replicas = 2;
    s.getSpec().dashboard.autoscaling = new AutoscalingSpec();
    s.getSpec().dashboard.autoscaling.enabled = true;
    assertThat(DeploymentBuilder.build(TestStacks.resolved(s), Component.DASHBOARD).getSpec().getReplicas()).isNull();
  }

  @Test
  void componentImageOverrideAndRegistryAreHonoured() {
    PiStack s = TestStacks.minimal();
    s.getSpec().image = new io.pistack.operator.api.v1alpha1.ImageSpec();
    s.getSpec().image.registry = "registry.example.com/pi/";
    assertThat(container(s, Component.RENDERER).getImage()).isEqualTo("registry.example.com/pi/renderer:2025_10.1");
    s.getSpec().renderer = new io.pistack.operator.api.v1alpha1.ScalableComponentSpec();
    s.getSpec().renderer.image = "mirror/renderer@sha256:abc";
    assertThat(container(s, Component.RENDERER).getImage()).isEqualTo("mirror/renderer@sha256:abc");
  }

  @Test
  void userPodSettingsReachThePod() {
    PiStack s = TestStacks.minimal();
    s.getSpec().dashboard = new DashboardSpec();
    s.getSpec().dashboard.podAnnotations = Map.of("prometheus.io/scrape", "false");
    s.getSpec().dashboard.nodeSelector = Map.of("pool", "bi");
    var pod = DeploymentBuilder.build(TestStacks.resolved(s), Component.DASHBOARD).getSpec().getTemplate();
    assertThat(pod.getMetadata().getAnnotations()).containsEntry("prometheus.io/scrape", "false");
    assertThat(pod.getSpec().getNodeSelector()).containsEntry("pool", "bi");
  }

  private static Container container(PiStack s, Component c) {
    return DeploymentBuilder.build(TestStacks.resolved(s), c).getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
