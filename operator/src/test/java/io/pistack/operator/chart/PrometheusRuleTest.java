package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.pistack.operator.metrics.OperatorMetrics;
import io.pistack.operator.runtime.Promtool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's PrometheusRule through Debian's promtool: `promtool check rules` on the rendered
 * rules, and `promtool test rules` proving each alert fires (and not before its `for`), and that the per-stack
 * alerts stay silent for a stack that sleeps (pi_operator_stack_hibernated 1) but fire for one that woke and fails.
 */
class PrometheusRuleTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Map<String, Object> rulesSpec() {
    GenericKubernetesResource rule = (GenericKubernetesResource) Chart.render(ValueSets.MONITORING)
        .ofKind("PrometheusRule").get(0);
    return rule.get("spec");
  }

  @Test
  void renderedRulesPassPromtoolCheckRules() throws Exception {
    Path file = Path.of("target", "pi-operator-rules.yaml").toAbsolutePath();
    YAML.writeValue(file.toFile(), rulesSpec());
    Promtool.Result r = Promtool.run(null, "check", "rules", file.toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS: 8 rules found");
  }

  /** The alerts about a stack's health and backups leave out a stack that sleeps; the others do not look. */
  @Test
  void thePerStackAlertsLeaveOutASleepingStack() {
    Map<String, Map<String, Object>> alerts = alerts(rulesSpec());
    List<String> quiet = List.of("PiStackNotReady", "PiStackComponentUnhealthy", "PiStackBackupStale",
        "PiStackBackupVerificationStale");
    String unless = "unless on (namespace, name) pi_operator_stack_hibernated == 1";
    alerts.forEach((name, rule) -> {
      if (quiet.contains(name)) {
        assertThat(String.valueOf(rule.get("expr"))).as(name).contains(unless);
      } else {
        assertThat(String.valueOf(rule.get("expr"))).as(name).doesNotContain("pi_operator_stack_hibernated");
      }
    });
  }

  @Test
  void theIssuesAlertsExist() {
    assertThat(alerts(rulesSpec()).keySet()).containsExactlyInAnyOrder("PiStackNotReady", "PiStackComponentUnhealthy",
        "PiOperatorReconcileErrors", "PiOperatorDown", "PiOperatorNoLeader", "PiStackBackupVerificationFailed",
        "PiStackBackupVerificationStale", "PiStackBackupStale");
    assertThat(alerts(rulesSpec()).get("PiStackNotReady").get("for")).isEqualTo("15m");
  }

  /** Unit tests of the alerts' expressions and durations (annotations stripped: promtool compares them verbatim). */
  @Test
  void eachAlertFiresAfterItsDurationAndNotBefore() throws Exception {
    Map<String, Object> spec = rulesSpec();
    stripAnnotations(spec);
    Path rules = Path.of("target", "pi-operator-rules-unannotated.yaml").toAbsolutePath();
    YAML.writeValue(rules.toFile(), spec);
    String tests = """
        rule_files: [%s]
        evaluation_interval: 1m
        tests:
          - interval: 1m
            input_series:
              - series: 'pi_operator_stack_ready{namespace="team-a",name="pi"}'
                values: '0x40'
              - series: 'pi_operator_stack_ready{namespace="team-a",name="ok"}'
                values: '1x40'
              # the same not-Ready series for a stack that sleeps throughout, and one that wakes at 21m and fails
              - series: 'pi_operator_stack_ready{namespace="team-a",name="asleep"}'
                values: '0x40'
              - series: 'pi_operator_stack_hibernated{namespace="team-a",name="asleep",instance="a"}'
                values: '1x40'
              - series: 'pi_operator_stack_ready{namespace="team-a",name="woke"}'
                values: '0x40'
              - series: 'pi_operator_stack_hibernated{namespace="team-a",name="woke",instance="a"}'
                values: '1x20 0x20'
            alert_rule_test:
              - {eval_time: 14m, alertname: PiStackNotReady, exp_alerts: []}
              - eval_time: 16m
                alertname: PiStackNotReady
                exp_alerts:
                  - exp_labels: {severity: warning, namespace: team-a, name: pi}
              - eval_time: 34m
                alertname: PiStackNotReady
                exp_alerts:
                  - exp_labels: {severity: warning, namespace: team-a, name: pi}
              - eval_time: 37m
                alertname: PiStackNotReady
                exp_alerts:
                  - exp_labels: {severity: warning, namespace: team-a, name: pi}
                  - exp_labels: {severity: warning, namespace: team-a, name: woke}
          - interval: 1m
            input_series:
              - series: 'pi_operator_component_healthy{namespace="team-a",name="pi",component="renderer"}'
                values: '0x20'
              - series: 'pi_operator_component_healthy{namespace="team-a",name="pi",component="dashboard"}'
                values: '1x20'
              - series: 'pi_operator_stack_hibernated{namespace="team-a",name="pi",instance="a"}'
                values: '0x20'
              - series: 'pi_operator_component_healthy{namespace="team-a",name="asleep",component="renderer"}'
                values: '0x20'
              - series: 'pi_operator_stack_hibernated{namespace="team-a",name="asleep",instance="a"}'
                values: '1x20'
            alert_rule_test:
              - {eval_time: 9m, alertname: PiStackComponentUnhealthy, exp_alerts: []}
              - eval_time: 11m
                alertname: PiStackComponentUnhealthy
                exp_alerts:
                  - exp_labels: {severity: warning, namespace: team-a, name: pi, component: renderer}
          - interval: 1m
            input_series:
              - series: 'pi_operator_reconcile_errors_total{reason="SecretNotFound"}'
                values: '0+2x40'
              - series: 'pi_operator_reconcile_errors_total{reason="InvalidSpec"}'
                values: '3x40'
            alert_rule_test:
              - {eval_time: 10m, alertname: PiOperatorReconcileErrors, exp_alerts: []}
              - eval_time: 20m
                alertname: PiOperatorReconcileErrors
                exp_alerts:
                  - exp_labels: {severity: warning, reason: SecretNotFound}
          - interval: 1m
            input_series:
              - series: 'up{job="pi-operator",namespace="pi-system",instance="10.0.0.1:8080"}'
                values: '1 1 0x10'
            alert_rule_test:
              - {eval_time: 4m, alertname: PiOperatorDown, exp_alerts: []}
              - eval_time: 9m
                alertname: PiOperatorDown
                exp_alerts:
                  - exp_labels: {severity: critical}
          - interval: 1m
            input_series:
              - series: 'pi_operator_leader{job="pi-operator",namespace="pi-system",instance="a"}'
                values: '1 1 0x10'
              - series: 'pi_operator_leader{job="pi-operator",namespace="pi-system",instance="b"}'
                values: '0x12'
            alert_rule_test:
              - {eval_time: 4m, alertname: PiOperatorNoLeader, exp_alerts: []}
              - eval_time: 9m
                alertname: PiOperatorNoLeader
                exp_alerts:
                  - exp_labels: {severity: critical}
          - interval: 1m
            input_series:
              - series: 'pi_operator_backup_verification_passed{namespace="team-a",name="pi"}'
                values: '0x20'
              - series: 'pi_operator_backup_verification_passed{namespace="team-a",name="ok"}'
                values: '1x20'
            alert_rule_test:
              - {eval_time: 4m, alertname: PiStackBackupVerificationFailed, exp_alerts: []}
              - eval_time: 6m
                alertname: PiStackBackupVerificationFailed
                exp_alerts:
                  - exp_labels: {severity: warning, namespace: team-a, name: pi}
          - interval: 1m
            input_series:
              # verified at t=0 (epoch 0) and never again; "fresh" is verified every minute
              - series: 'pi_operator_backup_last_verification_timestamp_seconds{namespace="team-a",name="pi"}'
                values: '0x3100'
              - series: 'pi_operator_backup_last_verification_timestamp_seconds{namespace="team-a",name="fresh"}'
                values: '0+60x3100'
              # as "pi", but asleep throughout
              - series: 'pi_operator_backup_last_verification_timestamp_seconds{namespace="team-a",name="asleep"}'
                values: '0x3100'
              - series: 'pi_operator_stack_hibernated{namespace="team-a",name="asleep",instance="a"}'
                values: '1x3100'
            alert_rule_test:
              - {eval_time: 48h5m, alertname: PiStackBackupVerificationStale, exp_alerts: []}
              - eval_time: 50h
                alertname: PiStackBackupVerificationStale
                exp_alerts:
                  - exp_labels: {severity: warning, namespace: team-a, name: pi}
          - interval: 1m
            input_series:
              # backed up at t=0 (epoch 0) and never again; "fresh" completes a backup every minute
              - series: 'pi_operator_backup_last_success_timestamp_seconds{namespace="team-a",name="pi"}'
                values: '0x2300'
              - series: 'pi_operator_backup_last_success_timestamp_seconds{namespace="team-a",name="fresh"}'
                values: '0+60x2300'
              # as "pi", but asleep throughout
              - series: 'pi_operator_backup_last_success_timestamp_seconds{namespace="team-a",name="asleep"}'
                values: '0x2300'
              - series: 'pi_operator_stack_hibernated{namespace="team-a",name="asleep",instance="a"}'
                values: '1x2300'
            alert_rule_test:
              - {eval_time: 36h5m, alertname: PiStackBackupStale, exp_alerts: []}
              - eval_time: 37h
                alertname: PiStackBackupStale
                exp_alerts:
                  - exp_labels: {severity: warning, namespace: team-a, name: pi}
        """.formatted(rules.getFileName());
    Path testFile = rules.resolveSibling("pi-operator-rules-test.yaml");
    Files.writeString(testFile, tests);
    Promtool.Result r = Promtool.run(null, "test", "rules", testFile.toString());
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.output()).contains("SUCCESS");
  }

  /**
   * The alerts and the Grafana dashboard only use metric names the operator really exports
   * (checked against the names the operator's code defines; RuntimeEndpointsTest scrapes them live).
   */
  @Test
  void alertsAndDashboardUseTheOperatorsMetricNames() {
    List<String> exprs = new ArrayList<>();
    alerts(rulesSpec()).values().forEach(a -> exprs.add(String.valueOf(a.get("expr"))));
    ConfigMap dashboard = Chart.render(ValueSets.MONITORING).one(ConfigMap.class);
    Matcher m = Pattern.compile("\"expr\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(dashboard.getData().get("pi-operator.json"));
    while (m.find()) {
      exprs.add(m.group(1));
    }
    assertThat(exprs).hasSizeGreaterThan(10);
    List<String> ours = exprs.stream().flatMap(e -> Pattern.compile("pi_operator_[a-z_]+").matcher(e).results()
        .map(x -> x.group())).distinct().collect(Collectors.toList());
    assertThat(ours).allSatisfy(name -> assertThat(name).isIn(
        OperatorMetrics.STACK_READY, OperatorMetrics.STACK_HIBERNATED, OperatorMetrics.COMPONENT_HEALTHY,
        OperatorMetrics.LEADER,
        OperatorMetrics.RECONCILE_ERRORS + "_total", OperatorMetrics.PROBE_DURATION + "_seconds_bucket",
        OperatorMetrics.BACKUP_VERIFIED, OperatorMetrics.BACKUP_VERIFIED_AT, OperatorMetrics.BACKUP_SUCCEEDED_AT));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> alerts(Map<String, Object> spec) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map<String, Object> g : (List<Map<String, Object>>) spec.get("groups")) {
      for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
        out.put((String) r.get("alert"), r);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static void stripAnnotations(Map<String, Object> spec) {
    for (Map<String, Object> g : (List<Map<String, Object>>) spec.get("groups")) {
      for (Map<String, Object> r : (List<Map<String, Object>>) g.get("rules")) {
        r.remove("annotations");
      }
    }
  }
}
