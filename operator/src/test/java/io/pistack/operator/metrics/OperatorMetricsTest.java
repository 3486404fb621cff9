package io.pistack.operator.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OperatorMetricsTest {
  final OperatorMetrics metrics = new OperatorMetrics();

  @Test
  void stackAndComponentGaugesFollowTheLastValueAndAreForgottenWithTheStack() {
    metrics.stackReady("ns", "a", false);
    metrics.stackReady("ns", "a", true);
    metrics.componentHealthy("ns", "a", "dashboard", true);
    metrics.componentHealthy("ns", "a", "renderer", false);
    metrics.stackReady("ns", "b", false);
    String text = metrics.scrape();
    assertThat(text).contains("pi_operator_stack_ready{name=\"a\",namespace=\"ns\"} 1")
        .contains("pi_operator_stack_ready{name=\"b\",namespace=\"ns\"} 0")
        .contains("pi_operator_component_healthy{component=\"renderer\",name=\"a\",namespace=\"ns\"} 0");

    metrics.forgetStack("ns", "a");
    text = metrics.scrape();
    assertThat(text).doesNotContain("name=\"a\"").contains("pi_operator_stack_ready{name=\"b\",namespace=\"ns\"} 0");
    metrics.stackReady("ns", "a", true);
    assertThat(metrics.scrape()).contains("pi_operator_stack_ready{name=\"a\",namespace=\"ns\"} 1");
  }

  @Test
  void reasonsAreBoundedAndMustLookLikeConditionReasons() {
    metrics.reconcileError("SecretNotFound");
    metrics.reconcileError("SecretNotFound");
    metrics.reconcileError("not a reason: secret=abc");
    metrics.reconcileError(null);
    for (int i = 0; i < OperatorMetrics.MAX_REASONS + 10; i++) {
      metrics.reconcileError("Reason" + i);
    }
    String text = metrics.scrape();
    assertThat(text).contains("pi_operator_reconcile_errors_total{reason=\"SecretNotFound\"} 2.0")
        .doesNotContain("secret=abc");
    long series = text.lines().filter(l -> l.startsWith("pi_operator_reconcile_errors_total{")).count();
    assertThat(series).isEqualTo(OperatorMetrics.MAX_REASONS + 1); // + Other
    // 2 malformed + 11 over the cap (SecretNotFound took one of the 32 places).
    assertThat(text).contains("pi_operator_reconcile_errors_total{reason=\"Other\"} 13.0");
  }

  @Test
  void probeLatencyIsAHistogramPerComponentOnly() {
    metrics.probeLatency("dashboard", Duration.ofMillis(120));
    metrics.probeLatency("dashboard", Duration.ofMillis(80));
    metrics.probeLatency("Bad Component!", Duration.ofMillis(1));
    String text = metrics.scrape();
    assertThat(text).contains("pi_operator_probe_duration_seconds_count{component=\"dashboard\"} 2")
        .contains("pi_operator_probe_duration_seconds_bucket{component=\"dashboard\",le=\"+Inf\"} 2")
        .contains("component=\"other\"");
  }

  @Test
  void josdkMetersGetHelpText() {
    assertThat(OperatorMetrics.josdkHelp("operator.sdk.reconciliations.started")).isEqualTo("Reconciles started (JOSDK)");
    assertThat(OperatorMetrics.josdkHelp("operator.sdk.something.new")).contains("operator.sdk.something.new");
  }
}
