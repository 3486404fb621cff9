package io.pistack.operator.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthConfigTest {
  @Test
  void defaults() {
    HealthConfig c = HealthConfig.defaults();
    assertThat(c.enabled()).isTrue();
    assertThat(c.interval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.concurrency()).isEqualTo(4);
    assertThat(c.failureThreshold()).isEqualTo(2);
    assertThat(c.resolver()).isSameAs(ProbeAddressResolver.CLUSTER_DNS);
  }

  @Test
  void fromEnvironment() {
    HealthConfig c = HealthConfig.fromEnv(Map.of("PI_OPERATOR_PROBE_INTERVAL", "2m",
        "PI_OPERATOR_PROBE_TIMEOUT", "1500ms", "PI_OPERATOR_PROBE_CONCURRENCY", "8",
        "PI_OPERATOR_PROBE_FAILURE_THRESHOLD", "3"));
    assertThat(c.interval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.concurrency()).isEqualTo(8);
    assertThat(c.failureThreshold()).isEqualTo(3);
    assertThat(HealthConfig.fromEnv(Map.of("PI_OPERATOR_PROBE_INTERVAL", "45")).interval())
        .isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void canBeTurnedOff() {
    for (String off : new String[] {"0", "off", "false", "0s"}) {
      assertThat(HealthConfig.fromEnv(Map.of("PI_OPERATOR_PROBE_INTERVAL", off)).enabled()).as(off).isFalse();
    }
  }

  @Test
  void nonsenseIsRejectedAtStartup() {
    assertThatThrownBy(() -> HealthConfig.fromEnv(Map.of("PI_OPERATOR_PROBE_INTERVAL", "soon")))
        .hasMessageContaining("PI_OPERATOR_PROBE_INTERVAL");
    assertThatThrownBy(() -> HealthConfig.fromEnv(Map.of("PI_OPERATOR_PROBE_CONCURRENCY", "0")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
