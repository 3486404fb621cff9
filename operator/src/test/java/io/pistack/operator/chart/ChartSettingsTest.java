package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pistack.operator.runtime.RuntimeConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every operator setting can be set through the chart: each PI_OPERATOR_* variable is a chart value
 * (the probe settings too), and extraEnv adds any other variable, but never shadows a chart value.
 */
class ChartSettingsTest {
  static Container container(Map<String, Object> values) {
    return Chart.render(values).one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void everyOperatorVariableIsSetFromAChartValue() {
    assertThat(container(ValueSets.DEFAULTS).getEnv()).extracting(EnvVar::getName).containsAll(
        Arrays.stream(RuntimeConfig.Variable.values()).map(v -> v.env).toList());
  }

  @Test
  void theProbeSettingsAreChartValues() {
    RuntimeConfig config = RuntimeConfig.fromEnv(HelmChartTest.env(container(Map.of("probeInterval", "1m",
        "probeTimeout", "2s", "probeConcurrency", 8, "probeFailureThreshold", 3))));
    assertThat(config.health().interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.health().timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.health().concurrency()).isEqualTo(8);
    assertThat(config.health().failureThreshold()).isEqualTo(3);
    assertThatThrownBy(() -> Chart.template(Map.of("probeTimeout", "0s"))).hasMessageContaining("probeTimeout");
  }

  @Test
  void extraEnvAddsVariablesButNeverShadowsAChartValue() {
    Container c = container(Map.of("extraEnv", List.of(Map.of("name", "HTTPS_PROXY", "value", "http://proxy:3128"),
        Map.of("name", "TOKEN", "valueFrom", Map.of("secretKeyRef", Map.of("name", "s", "key", "k"))))));
    assertThat(HelmChartTest.env(c)).containsEntry("HTTPS_PROXY", "http://proxy:3128");
    assertThat(c.getEnv()).filteredOn(e -> e.getName().equals("TOKEN")).singleElement()
        .satisfies(e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("s"));
    assertThatThrownBy(() -> Chart.template(Map.of("extraEnv",
        List.of(Map.of("name", "PI_OPERATOR_PROBE_TIMEOUT", "value", "1s")))))
        .hasMessageContaining("extraEnv: PI_OPERATOR_PROBE_TIMEOUT is set by the chart");
  }
}
