package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.pistack.operator.runtime.LeaderElection;
import io.pistack.operator.runtime.RuntimeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart, through a real Helm: lint --strict, and the rendered objects asserted as typed objects. */
class HelmChartTest {

  static Stream<org.junit.jupiter.params.provider.Arguments> valueSets() {
    return ValueSets.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void lintStrictPasses(String name, Map<String, Object> values) {
    LintResult lint = Chart.lint(values);
    assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
    assertThat(lint.getMessages()).as("lint messages").noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void lintAndTemplateRejectValuesTheSchemaForbids() {
    assertThat(Chart.lint(Map.of("logFormat", "xml")).isFailed()).isTrue();
    assertThatThrownBy(() -> Chart.template(Map.of("logFormat", "xml"))).hasMessageContaining("logFormat");
    assertThatThrownBy(() -> Chart.template(Map.of("watchNamespaces", List.of("Not_Valid"))))
        .hasMessageContaining("watchNamespaces");
    assertThatThrownBy(() -> Chart.template(Map.of("unknownKey", true))).hasMessageContaining("unknownKey");
  }

  @Test
  void leaseTimingsAreChartValuesWithTheOperatorsDefaultsAndItsOrder() {
    Container defaults = Chart.render(ValueSets.DEFAULTS).one(Deployment.class).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    assertThat(env(defaults)).containsEntry("PI_OPERATOR_LEASE_DURATION", "15s")
        .containsEntry("PI_OPERATOR_LEASE_RENEW_DEADLINE", "10s").containsEntry("PI_OPERATOR_LEASE_RETRY_PERIOD", "2s");
    assertThat(RuntimeConfig.fromEnv(env(defaults)).leaseTiming()).isEqualTo(LeaderElection.Timing.DEFAULT);

    Container custom = Chart.render(ValueSets.CUSTOMISED).one(Deployment.class).getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    assertThat(RuntimeConfig.fromEnv(env(custom)).leaseTiming()).isEqualTo(new LeaderElection.Timing(
        Duration.ofSeconds(30), Duration.ofSeconds(20), Duration.ofMillis(1500)));

    // The order the operator needs (lease > renew > retry) is checked when rendering, by value not text.
    assertThatThrownBy(() -> Chart.template(Map.of("leaderElection", Map.of("renewDeadline", "15s"))))
        .hasMessageContaining("leaseDuration > renewDeadline > retryPeriod");
    assertThatThrownBy(() -> Chart.template(Map.of("leaderElection", Map.of("retryPeriod", "10000ms"))))
        .hasMessageContaining("leaseDuration > renewDeadline > retryPeriod");
    assertThat(RuntimeConfig.fromEnv(env(Chart.render(Map.of("leaderElection", Map.of("leaseDuration", "1m",
        "renewDeadline", "59s", "retryPeriod", "58999ms"))).one(Deployment.class).getSpec().getTemplate().getSpec()
        .getContainers().get(0))).leaseTiming().leaseDuration()).isEqualTo(Duration.ofMinutes(1));
    // Durations the operator would refuse are refused by the schema.
    for (String bad : List.of("1m30s", "0s", "15", "PT15S", "-1s")) {
      assertThatThrownBy(() -> Chart.template(Map.of("leaderElection", Map.of("leaseDuration", bad))))
          .as(bad).hasMessageContaining("leaseDuration");
    }
  }

  @Test
  void severalReplicasWithoutLeaderElectionIsRefused() {
    assertThatThrownBy(() -> Chart.template(Map.of("replicaCount", 2, "leaderElection", Map.of("enabled", false))))
        .hasMessageContaining("replicaCount > 1 needs leader election");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void podMeetsPodSecurityRestrictedWithReadOnlyRootFilesystem(String name, Map<String, Object> values) {
    PodSpec pod = Chart.render(values).one(Deployment.class).getSpec().getTemplate().getSpec();
    PodSecurityContext psc = pod.getSecurityContext();
    assertThat(psc.getRunAsNonRoot()).isTrue();
    assertThat(psc.getRunAsUser()).isEqualTo(65532L);
    assertThat(psc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getVolumes()).allSatisfy(v -> assertThat(v.getHostPath()).isNull());
    assertThat(pod.getInitContainers()).isEmpty();
    for (Container c : pod.getContainers()) {
      SecurityContext sc = c.getSecurityContext();
      assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
      assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
      assertThat(sc.getRunAsNonRoot()).isTrue();
      assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
      assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(sc.getCapabilities().getAdd()).isEmpty();
      assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(c.getPorts()).allSatisfy(p -> assertThat(p.getHostPort()).isNull());
      // The only writable path is /tmp, an emptyDir.
      assertThat(c.getVolumeMounts()).singleElement().satisfies(m -> {
        assertThat(m.getMountPath()).isEqualTo("/tmp");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals(m.getName()))
            .singleElement().satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
      });
      assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
      assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void probesHitHealthzAndReadyzOnTheHttpPort(String name, Map<String, Object> values) {
    Container c = Chart.render(values).one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    int port = ((Number) values.getOrDefault("httpPort", 8080)).intValue();
    assertThat(c.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getContainerPort()).isEqualTo(port);
    });
    assertThat(path(c.getLivenessProbe())).isEqualTo("/healthz");
    assertThat(path(c.getStartupProbe())).isEqualTo("/healthz");
    assertThat(path(c.getReadinessProbe())).isEqualTo("/readyz");
    for (Probe p : List.of(c.getLivenessProbe(), c.getReadinessProbe(), c.getStartupProbe())) {
      assertThat(p.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    }
    assertThat(env(c).get("PI_OPERATOR_HTTP_PORT")).isEqualTo(String.valueOf(port));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void theOperatorAcceptsTheEnvironmentTheChartGivesIt(String name, Map<String, Object> values) {
    Container c = Chart.render(values).one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    RuntimeConfig config = RuntimeConfig.fromEnv(env(c));
    @SuppressWarnings("unchecked")
    List<String> watch = (List<String>) values.getOrDefault("watchNamespaces", List.of());
    assertThat(config.watchNamespaces()).containsExactlyInAnyOrderElementsOf(watch);
    assertThat(config.leaseNamespace()).hasValue(Chart.NAMESPACE);
  }

  @Test
  void leaderElectionIsOnExactlyWhenMoreThanOneReplicaRunsUnlessForced() {
    Deployment one = Chart.render(ValueSets.DEFAULTS).one(Deployment.class);
    assertThat(env(one.getSpec().getTemplate().getSpec().getContainers().get(0)))
        .containsEntry("PI_OPERATOR_LEADER_ELECTION", "false");
    assertThat(one.getSpec().getStrategy().getType()).isEqualTo("Recreate");

    Deployment three = Chart.render(ValueSets.HA).one(Deployment.class);
    assertThat(three.getSpec().getReplicas()).isEqualTo(3);
    assertThat(env(three.getSpec().getTemplate().getSpec().getContainers().get(0)))
        .containsEntry("PI_OPERATOR_LEADER_ELECTION", "true");
    assertThat(three.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");

    Deployment forced = Chart.render(Map.of("leaderElection", Map.of("enabled", true))).one(Deployment.class);
    assertThat(env(forced.getSpec().getTemplate().getSpec().getContainers().get(0)))
        .containsEntry("PI_OPERATOR_LEADER_ELECTION", "true");
  }

  @Test
  void clusterModeUsesAClusterRoleAndNoNamespacedRoles() {
    Chart.Rendered r = Chart.render(ValueSets.DEFAULTS);
    ClusterRole role = r.one(ClusterRole.class);
    ClusterRoleBinding binding = r.one(ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertSubjectIsTheOperator(r, binding.getSubjects());
    assertThat(r.all(Role.class)).isEmpty();
    assertThat(r.all(RoleBinding.class)).isEmpty();
    assertThat(role.getMetadata().getName()).startsWith(Chart.NAMESPACE + "-");
  }

  @Test
  void namespacedModeUsesARoleAndBindingPerWatchedNamespaceAndNothingClusterWide() {
    Chart.Rendered r = Chart.render(ValueSets.NAMESPACED);
    assertThat(r.all(ClusterRole.class)).isEmpty();
    assertThat(r.all(ClusterRoleBinding.class)).isEmpty();
    assertThat(r.all(Role.class)).extracting(x -> x.getMetadata().getNamespace())
        .containsExactlyInAnyOrder("team-a", "team-b");
    for (RoleBinding b : r.all(RoleBinding.class)) {
      assertThat(b.getRoleRef().getKind()).isEqualTo("Role");
      Role role = r.all(Role.class).stream()
          .filter(x -> x.getMetadata().getNamespace().equals(b.getMetadata().getNamespace())).findFirst().orElseThrow();
      assertThat(b.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
      assertSubjectIsTheOperator(r, b.getSubjects());
    }
  }

  @Test
  void leaseRoleIsInTheReleaseNamespaceAndNamesTheLease() {
    Chart.Rendered r = Chart.render(ValueSets.HA);
    Role lease = r.all(Role.class).stream().filter(x -> x.getMetadata().getName().endsWith("-leader-election"))
        .findFirst().orElseThrow();
    assertThat(lease.getMetadata().getNamespace()).isEqualTo(Chart.NAMESPACE);
    for (PolicyRule rule : lease.getRules()) {
      assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
      assertThat(rule.getResources()).containsExactly("leases");
      if (!rule.getVerbs().equals(List.of("create"))) {
        assertThat(rule.getResourceNames()).containsExactly("pi-operator-leader");
      }
    }
    assertThat(Chart.render(ValueSets.DEFAULTS).all(Role.class)).as("no Lease role without leader election").isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void rbacHasNoWildcards(String name, Map<String, Object> values) {
    for (PolicyRule rule : rules(Chart.render(values))) {
      assertThat(Stream.of(rule.getApiGroups(), rule.getResources(), rule.getVerbs(), rule.getResourceNames())
          .flatMap(List::stream)).noneMatch(s -> s.contains("*"));
      assertThat(rule.getNonResourceURLs()).isEmpty();
      assertThat(rule.getVerbs()).doesNotContain("escalate", "bind", "impersonate");
    }
  }

  @Test
  void serviceExposesTheMetricsPortOfTheOperatorPods() {
    Chart.Rendered r = Chart.render(ValueSets.DEFAULTS);
    Service svc = r.one(Service.class);
    Deployment d = r.one(Deployment.class);
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(svc.getSpec().getSelector());
    assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(svc.getSpec().getSelector());
    assertThat(svc.getSpec().getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("http");
      assertThat(p.getTargetPort().getStrVal()).isEqualTo("http");
    });
  }

  @Test
  void monitoringObjectsAreOptional() {
    Chart.Rendered plain = Chart.render(ValueSets.DEFAULTS);
    assertThat(plain.ofKind("ServiceMonitor")).isEmpty();
    assertThat(plain.ofKind("PrometheusRule")).isEmpty();
    assertThat(plain.all(ConfigMap.class)).isEmpty();

    Chart.Rendered r = Chart.render(ValueSets.MONITORING);
    GenericKubernetesResource sm = (GenericKubernetesResource) r.ofKind("ServiceMonitor").get(0);
    assertThat(sm.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(sm.getMetadata().getLabels()).containsEntry("release", "kube-prometheus");
    Map<String, Object> spec = sm.get("spec");
    assertThat(spec).extractingByKey("selector").isEqualTo(Map.of("matchLabels", r.one(Service.class).getSpec().getSelector()));
    assertThat(sm.<String>get("spec", "endpoints", 0, "port")).isEqualTo("http");
    assertThat(sm.<String>get("spec", "endpoints", 0, "path")).isEqualTo("/metrics");
    assertThat(r.ofKind("PrometheusRule")).hasSize(1);
    ConfigMap dashboard = r.one(ConfigMap.class);
    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
    assertThat(dashboard.getData()).containsKey("pi-operator.json");
  }

  @Test
  void customisedValuesReachTheDeployment() {
    Chart.Rendered r = Chart.render(ValueSets.CUSTOMISED);
    PodSpec pod = r.one(Deployment.class).getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("registry.example.com/platform/pi-operator@sha256:" + "a".repeat(64));
    assertThat(pod.getServiceAccountName()).isEqualTo("pi-operator-sa");
    assertThat(r.all(ServiceAccount.class)).isEmpty();
    assertThat(env(c)).containsEntry("PI_OPERATOR_LOG_FORMAT", "json").containsEntry("PI_OPERATOR_PROBE_INTERVAL", "off")
        .containsEntry("PI_OPERATOR_LEASE_NAME", "pi.leader").containsEntry("JAVA_TOOL_OPTIONS", "-XX:MaxRAMPercentage=60");
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/os", "linux");
    assertThat(pod.getTolerations()).hasSize(1);
    assertThat(r.all(ClusterRoleBinding.class).get(0).getSubjects().get(0).getName()).isEqualTo("pi-operator-sa");
  }

  @Test
  void defaultImageIsTheChartAppVersion() throws Exception {
    String appVersion = java.nio.file.Files.readAllLines(Chart.dir().resolve("Chart.yaml")).stream()
        .filter(l -> l.startsWith("appVersion:")).findFirst().orElseThrow().replaceAll("appVersion:\\s*\"?([^\"]*)\"?", "$1");
    assertThat(Chart.render(ValueSets.DEFAULTS).one(Deployment.class).getSpec().getTemplate().getSpec()
        .getContainers().get(0).getImage()).isEqualTo("pi-operator:" + appVersion);
  }

  static void assertSubjectIsTheOperator(Chart.Rendered r, List<io.fabric8.kubernetes.api.model.rbac.Subject> subjects) {
    String sa = r.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName();
    assertThat(subjects).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(sa);
      assertThat(s.getNamespace()).isEqualTo(Chart.NAMESPACE);
    });
  }

  static List<PolicyRule> rules(Chart.Rendered r) {
    return Stream.concat(r.all(ClusterRole.class).stream().flatMap(x -> x.getRules().stream()),
        r.all(Role.class).stream().flatMap(x -> x.getRules().stream())).toList();
  }

  static String path(Probe p) {
    return p.getHttpGet().getPath();
  }

  /** The stacks' NetworkPolicies admit the operator by its namespace and release labels: the chart tells it both. */
  @Test
  void theOperatorKnowsItsNamespaceItsReleaseAndThePolicy() {
    var template = Chart.render(Map.of("stackPolicy", Map.of("allowHostPath", true, "serviceAccounts",
        List.of("pi-reader")))).one(Deployment.class).getSpec().getTemplate();
    Container c = template.getSpec().getContainers().get(0);
    EnvVar ns = c.getEnv().stream().filter(e -> e.getName().equals("PI_OPERATOR_NAMESPACE")).findFirst().orElseThrow();
    assertThat(ns.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
    RuntimeConfig config = RuntimeConfig.fromEnv(env(c));
    assertThat(config.operator().podLabels()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "app.kubernetes.io/name", "pi-operator", "app.kubernetes.io/instance", Chart.RELEASE));
    assertThat(template.getMetadata().getLabels()).containsAllEntriesOf(config.operator().podLabels());
    assertThat(config.policy().hostPath()).isTrue();
    assertThat(config.policy().serviceAccounts()).containsExactly("pi-reader");
    assertThat(RuntimeConfig.fromEnv(env(Chart.render(Map.of()).one(Deployment.class).getSpec().getTemplate()
        .getSpec().getContainers().get(0))).policy()).as("the defaults refuse")
        .isEqualTo(io.pistack.operator.model.OperatorPolicy.DEFAULT);
  }

  static Map<String, String> env(Container c) {
    return c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e.getValue() == null ? "" : e.getValue()));
  }

  static List<HasMetadata> unused() {
    return List.of();
  }
}
