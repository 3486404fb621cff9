package io.pistack.operator.chart;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/** The value sets the chart is linted and rendered with. */
final class ValueSets {
  private ValueSets() {}

  static final Map<String, Object> DEFAULTS = Map.of();

  static final Map<String, Object> NAMESPACED = Map.of("watchNamespaces", List.of("team-a", "team-b"));

  static final Map<String, Object> HA = Map.of("replicaCount", 3);

  static final Map<String, Object> HA_NAMESPACED = Map.of("replicaCount", 2,
      "watchNamespaces", List.of("team-a", NAMESPACE_OF_RELEASE()));

  static final Map<String, Object> MONITORING = Map.of("metrics", Map.of(
      "serviceMonitor", Map.of("enabled", true, "labels", Map.of("release", "kube-prometheus")),
      "prometheusRule", Map.of("enabled", true),
      "grafanaDashboard", Map.of("enabled", true, "namespace", "monitoring")));

  static final Map<String, Object> CUSTOMISED = Map.ofEntries(
      Map.entry("image", Map.of("repository", "registry.example.com/platform/pi-operator",
          "digest", "sha256:" + "a".repeat(64))),
      Map.entry("serviceAccount", Map.of("create", false, "name", "pi-operator-sa")),
      Map.entry("leaderElection", Map.of("enabled", true, "leaseName", "pi.leader", "leaseDuration", "30s",
          "renewDeadline", "20s", "retryPeriod", "1500ms")),
      Map.entry("logFormat", "json"), Map.entry("logLevel", "debug"), Map.entry("probeInterval", "off"),
      Map.entry("reconcileThreads", 10), Map.entry("httpPort", 9090),
      Map.entry("javaToolOptions", "-XX:MaxRAMPercentage=60"),
      Map.entry("nodeSelector", Map.of("kubernetes.io/os", "linux")),
      Map.entry("tolerations", List.of(Map.of("key", "dedicated", "operator", "Equal", "value", "ops",
          "effect", "NoSchedule"))));

  /** One shard of a fleet: its stacks and namespaces chosen by label selectors (docs/sizing.md). */
  static final Map<String, Object> SHARD = Map.of("stackSelector", "pistack.io/shard=a",
      "namespaceSelector", "pistack.io/fleet in (on,yes)");

  static String NAMESPACE_OF_RELEASE() {
    return Chart.NAMESPACE;
  }

  static Stream<Arguments> all() {
    return Stream.of(
        Arguments.of("defaults", DEFAULTS),
        Arguments.of("namespaced", NAMESPACED),
        Arguments.of("ha", HA),
        Arguments.of("ha-namespaced", HA_NAMESPACED),
        Arguments.of("monitoring", MONITORING),
        Arguments.of("customised", CUSTOMISED),
        Arguments.of("shard", SHARD));
  }
}
