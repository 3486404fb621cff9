package io.pistack.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pistack.operator.runtime.RuntimeConfig.InvalidConfigException;
import io.pistack.operator.runtime.RuntimeConfig.LogFormat;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuntimeConfigTest {
  @Test
  void defaults() {
    RuntimeConfig c = RuntimeConfig.fromEnv(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"));
    assertThat(c.watchNamespaces()).isEmpty();
    assertThat(c.leaderElection()).isFalse();
    assertThat(c.leaseName()).isEqualTo("pi-operator-leader");
    assertThat(c.leaseNamespace()).isEmpty();
    assertThat(c.reconcileThreads()).isEqualTo(5);
    assertThat(c.probeInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.probesEnabled()).isTrue();
    assertThat(c.logLevel()).isEqualTo("INFO");
    assertThat(c.logFormat()).isEqualTo(LogFormat.TEXT);
    assertThat(c.httpPort()).isEqualTo(8080);
  }

  @Test
  void everyVariableIsRead() {
    RuntimeConfig c = RuntimeConfig.fromEnv(Map.of(
        "PI_OPERATOR_WATCH_NAMESPACES", " team-a, team-b ,,team-a",
        "PI_OPERATOR_LEADER_ELECTION", "TRUE",
        "PI_OPERATOR_LEASE_NAME", "my-lease",
        "PI_OPERATOR_LEASE_NAMESPACE", "pi-system",
        "PI_OPERATOR_RECONCILE_THREADS", "12",
        "PI_OPERATOR_PROBE_INTERVAL", "2m",
        "PI_OPERATOR_LOG_LEVEL", "debug",
        "PI_OPERATOR_LOG_FORMAT", "JSON",
        "PI_OPERATOR_HTTP_PORT", "9090"));
    assertThat(c.watchNamespaces()).isEqualTo(Set.of("team-a", "team-b"));
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.leaseName()).isEqualTo("my-lease");
    assertThat(c.leaseNamespace()).isEqualTo(Optional.of("pi-system"));
    assertThat(c.reconcileThreads()).isEqualTo(12);
    assertThat(c.probeInterval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.logLevel()).isEqualTo("DEBUG");
    assertThat(c.logFormat()).isEqualTo(LogFormat.JSON);
    assertThat(c.httpPort()).isEqualTo(9090);
  }

  @Test
  void outsideAClusterTheProbesAreOffUnlessTheIntervalIsSet() {
    // From a laptop (no KUBERNETES_SERVICE_HOST) the probes' <service>.<namespace>.svc names do not resolve.
    assertThat(RuntimeConfig.fromEnv(Map.of()).probesEnabled()).isFalse();
    assertThat(RuntimeConfig.probesOffOutOfCluster(Map.of())).isTrue();
    assertThat(RuntimeConfig.fromEnv(Map.of("KUBERNETES_SERVICE_HOST", "")).probesEnabled()).isFalse();
    // Set explicitly (e.g. the cluster's DNS reachable through a VPN), they run.
    RuntimeConfig asked = RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_PROBE_INTERVAL", "1m"));
    assertThat(asked.probeInterval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(RuntimeConfig.probesOffOutOfCluster(Map.of("PI_OPERATOR_PROBE_INTERVAL", "1m"))).isFalse();
    assertThat(RuntimeConfig.probesOffOutOfCluster(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"))).isFalse();
  }

  @Test
  void probeIntervalTakesPlainSecondsAsDocumented() {
    // docs/status.md: "500ms, 30s, 2m, or plain seconds"; `run` used to exit 2 on "30".
    assertThat(RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_PROBE_INTERVAL", "30")).probeInterval())
        .isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void probeIntervalAcceptsIsoAndCanBeTurnedOff() {
    assertThat(RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_PROBE_INTERVAL", "PT45S")).probeInterval())
        .isEqualTo(Duration.ofSeconds(45));
    assertThat(RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_PROBE_INTERVAL", "500ms")).probeInterval())
        .isEqualTo(Duration.ofMillis(500));
    for (String off : new String[] {"0", "off", "OFF"}) {
      RuntimeConfig c = RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_PROBE_INTERVAL", off));
      assertThat(c.probeInterval()).isZero();
      assertThat(c.probesEnabled()).isFalse();
    }
  }

  @Test
  void invalidValuesNameTheVariableAndAllProblemsAreListedAtOnce() {
    Map<String, String> env = Map.of(
        "PI_OPERATOR_WATCH_NAMESPACES", "ok,Not_A_Namespace",
        "PI_OPERATOR_LEADER_ELECTION", "maybe",
        "PI_OPERATOR_RECONCILE_THREADS", "zero",
        "PI_OPERATOR_PROBE_INTERVAL", "soon",
        "PI_OPERATOR_LOG_LEVEL", "chatty",
        "PI_OPERATOR_LOG_FORMAT", "xml",
        "PI_OPERATOR_HTTP_PORT", "70000",
        "PI_OPERATOR_LEASE_NAME", "Bad Name");
    assertThatThrownBy(() -> RuntimeConfig.fromEnv(env))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("invalid configuration:")
        .hasMessageContaining("PI_OPERATOR_WATCH_NAMESPACES=\"Not_A_Namespace\": not a namespace name")
        .hasMessageContaining("PI_OPERATOR_LEADER_ELECTION=\"maybe\": expected true or false")
        .hasMessageContaining("PI_OPERATOR_RECONCILE_THREADS=\"zero\": expected a whole number from 1 to 100")
        .hasMessageContaining("PI_OPERATOR_PROBE_INTERVAL=\"soon\": expected a duration")
        .hasMessageContaining("PI_OPERATOR_LOG_LEVEL=\"chatty\": expected one of TRACE, DEBUG, INFO, WARN, ERROR")
        .hasMessageContaining("PI_OPERATOR_LOG_FORMAT=\"xml\": expected text or json")
        .hasMessageContaining("PI_OPERATOR_HTTP_PORT=\"70000\": expected a whole number from 1 to 65535")
        .hasMessageContaining("PI_OPERATOR_LEASE_NAME=\"Bad Name\": not a valid Kubernetes object name");
  }

  @Test
  void outOfRangeNumbersAreRejected() {
    assertThatThrownBy(() -> RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_RECONCILE_THREADS", "0")))
        .hasMessageContaining("PI_OPERATOR_RECONCILE_THREADS=\"0\"");
    assertThatThrownBy(() -> RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_HTTP_PORT", "0")))
        .hasMessageContaining("PI_OPERATOR_HTTP_PORT=\"0\"");
    assertThatThrownBy(() -> RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_PROBE_INTERVAL", "-PT1S")))
        .hasMessageContaining("PI_OPERATOR_PROBE_INTERVAL");
  }

  @Test
  void leaseTimingsDefaultToJosdksAndMustBeOrdered() {
    assertThat(RuntimeConfig.defaults().leaseTiming()).isEqualTo(LeaderElection.Timing.DEFAULT);
    RuntimeConfig fast = RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_LEASE_DURATION", "4s",
        "PI_OPERATOR_LEASE_RENEW_DEADLINE", "3s", "PI_OPERATOR_LEASE_RETRY_PERIOD", "500ms"));
    assertThat(fast.leaseTiming()).isEqualTo(new LeaderElection.Timing(java.time.Duration.ofSeconds(4),
        java.time.Duration.ofSeconds(3), java.time.Duration.ofMillis(500)));
    assertThatThrownBy(() -> RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_LEASE_DURATION", "5s")))
        .hasMessageContaining("expected lease duration > renew deadline > retry period");
    assertThatThrownBy(() -> RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_LEASE_RETRY_PERIOD", "0")))
        .hasMessageContaining("PI_OPERATOR_LEASE_RETRY_PERIOD=\"0\"");
  }

  @Test
  void theOperatorsIdentityAndItsPolicyForStacksAreRead() {
    RuntimeConfig c = RuntimeConfig.fromEnv(Map.of(
        "PI_OPERATOR_NAMESPACE", "pi-system",
        "PI_OPERATOR_POD_LABELS", "app.kubernetes.io/name=pi-operator, app.kubernetes.io/instance=ops",
        "PI_OPERATOR_ALLOW_HOST_PATH", "true",
        "PI_OPERATOR_SERVICE_ACCOUNTS", "pi-reader, pi-s3,"));
    assertThat(c.operator().namespace()).contains("pi-system");
    assertThat(c.operator().podLabels()).containsExactly(Map.entry("app.kubernetes.io/name", "pi-operator"),
        Map.entry("app.kubernetes.io/instance", "ops"));
    assertThat(c.policy()).isEqualTo(new io.pistack.operator.model.OperatorPolicy(false, true, false, false,
        Set.of("pi-reader", "pi-s3"), false, false));
    assertThat(RuntimeConfig.defaults().policy()).isEqualTo(io.pistack.operator.model.OperatorPolicy.DEFAULT);
    assertThat(RuntimeConfig.defaults().operator().podLabels()).containsExactly(
        Map.entry("app.kubernetes.io/name", "pi-operator"));
    assertThatThrownBy(() -> RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_POD_LABELS", "no-equals-sign",
        "PI_OPERATOR_NAMESPACE", "Not_A_Namespace", "PI_OPERATOR_ALLOW_PRIVILEGED", "maybe")))
        .hasMessageContaining("PI_OPERATOR_POD_LABELS=\"no-equals-sign\": expected key=value")
        .hasMessageContaining("PI_OPERATOR_NAMESPACE=\"Not_A_Namespace\"")
        .hasMessageContaining("PI_OPERATOR_ALLOW_PRIVILEGED=\"maybe\": expected true or false");
  }

  @Test
  void everyVariableIsDocumentedInInstallMd() throws Exception {
    String doc = java.nio.file.Files.readString(io.pistack.operator.it.Stacks.repoRoot().resolve("docs/install.md"));
    for (RuntimeConfig.Variable v : RuntimeConfig.Variable.values()) {
      assertThat(doc).as("docs/install.md documents " + v.env).contains("`" + v.env + "`");
    }
  }

  @Test
  void aShardIsTwoLabelSelectorsAndANamespaceSelectorExcludesAList() {
    assertThat(RuntimeConfig.defaults().shard()).isEqualTo(ShardConfig.NONE);
    RuntimeConfig c = RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_STACK_SELECTOR", "pistack.io/shard=a",
        "PI_OPERATOR_NAMESPACE_SELECTOR", "pistack.io/fleet in (on)"));
    assertThat(c.shard().stacks()).map(LabelSelector::text).contains("pistack.io/shard=a");
    assertThat(c.shard().namespaces()).map(LabelSelector::text).contains("pistack.io/fleet in (on)");
    assertThatThrownBy(() -> RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_STACK_SELECTOR", "shard in a")))
        .hasMessageContaining("PI_OPERATOR_STACK_SELECTOR=\"shard in a\": not a label selector");
    assertThatThrownBy(() -> RuntimeConfig.fromEnv(Map.of("PI_OPERATOR_NAMESPACE_SELECTOR", "fleet=on",
        "PI_OPERATOR_WATCH_NAMESPACES", "team-a"))).hasMessageContaining("not both");
  }
}
