package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.processing.Controller;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.runtime.OperatorRuntime;
import io.pistack.operator.runtime.RequiredPermissions;
import io.pistack.operator.runtime.RequiredPermissions.Permission;
import io.pistack.operator.runtime.RuntimeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart grants exactly what the operator needs: the needs are derived from the operator's own
 * code and configuration ({@link RequiredPermissions}: the registered controller's informers, its
 * workflow dependents and their JOSDK traits, and {@link ApiAccess} declarations), configured by the
 * very environment the chart gives the Deployment; the grants are read from the rendered
 * (Cluster)Roles bound to the Deployment's ServiceAccount. Both directions must be empty.
 */
class RbacCompletenessTest {

  static Stream<org.junit.jupiter.params.provider.Arguments> valueSets() {
    return ValueSets.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valueSets")
  void chartGrantsExactlyWhatTheOperatorNeeds(String name, Map<String, Object> values) {
    Chart.Rendered rendered = Chart.render(values);
    Set<Permission> needed = needed(rendered);
    Set<Permission> granted = granted(rendered);

    Set<Permission> missing = new TreeSet<>(needed);
    missing.removeAll(granted);
    Set<Permission> excess = new TreeSet<>(granted);
    excess.removeAll(needed);
    assertThat(missing).as("needed by the operator but not granted by helm/pi-operator/templates "
        + "(add them to pi-operator.watchedRules in _helpers.tpl, or the lease Role in rbac.yaml)").isEmpty();
    assertThat(excess).as("granted by the chart but never used by the operator (remove them)").isEmpty();
  }

  @Test
  void theDerivationReflectsTheDependentsTraits() throws IOException {
    Set<Permission> derived = needed(Chart.render(ValueSets.HA));
    Files.writeString(Path.of("target", "required-permissions.txt"),
        derived.stream().map(Permission::toString).collect(Collectors.joining("\n", "", "\n")));
    Set<String> keys = needed(Chart.render(ValueSets.DEFAULTS)).stream().map(Permission::key).collect(Collectors.toSet());
    assertThat(keys).contains(
        "* apps deployments patch", "* apps deployments delete", "* apps statefulsets create",
        "* pistack.io pistacks watch", "* pistack.io pistacks/status patch",
        "* core secrets get", "* core secrets create", "* core events create",
        "* core persistentvolumeclaims patch",
        // The credentials Secret's owner reference follows storage.deleteWithStack (CredentialsOwnership).
        "* core secrets patch");
    // Creator-only Secret (JOSDK does not use SSA for Secrets): never updated (its password never
    // changes) or deleted; only its owner reference is patched.
    // The shared PVC has no Deleter: the operator can never delete it.
    // No finalizer: the PiStack itself is never written.
    assertThat(keys).doesNotContain("* core secrets update", "* core secrets delete",
        "* core persistentvolumeclaims delete", "* pistack.io pistacks patch", "* pistack.io pistacks update");
    assertThat(keys).noneMatch(k -> k.contains("leases"));
    assertThat(needed(Chart.render(ValueSets.HA)).stream().map(Permission::key))
        .contains(Chart.NAMESPACE + " coordination.k8s.io leases create");
  }

  /**
   * The declarations are complete: every main class that holds or reaches a client declares the
   * API calls it makes ({@link ApiAccess}) or that it makes none ({@link ApiAccess.PassesClient}).
   */
  @Test
  void everyClassThatUsesTheClientDeclaresItsApiAccess() throws IOException {
    Path main = Stacks.repoRoot().resolve("operator/src/main/java");
    List<String> undeclared = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    try (Stream<Path> files = Files.walk(main)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String src = Files.readString(f);
        // kubectl pi runs as its user, not as the operator: its needs are listed in docs/kubectl-pi.md.
        if (main.relativize(f).startsWith("io/pistack/operator/plugin")
            || !src.matches("(?s).*(KubernetesClient\\b|getClient\\(\\)).*")) {
          continue;
        }
        String cls = main.relativize(f).toString().replace('/', '.').replaceAll("\\.java$", "");
        Class<?> c;
        try {
          c = Class.forName(cls);
        } catch (ClassNotFoundException e) {
          throw new AssertionError(e);
        }
        checked.add(c.getSimpleName());
        if (c.getAnnotationsByType(ApiAccess.class).length == 0 && !c.isAnnotationPresent(ApiAccess.PassesClient.class)) {
          undeclared.add(cls);
        }
      }
    }
    assertThat(checked).contains("StackEvents", "CredentialsOwnership", "OperatorRuntime", "LeaderElection");
    assertThat(undeclared).as("classes using the Kubernetes client without @ApiAccess or @ApiAccess.PassesClient")
        .isEmpty();
  }

  /** What the operator needs, configured exactly as the rendered Deployment configures it. */
  static Set<Permission> needed(Chart.Rendered rendered) {
    Container c = rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    RuntimeConfig config = RuntimeConfig.fromEnv(HelmChartTest.env(c));
    var client = new KubernetesClientBuilder().withConfig(new ConfigBuilder()
        .withMasterUrl("https://127.0.0.1:1").withNamespace("default").build()).build();
    OperatorRuntime runtime = OperatorRuntime.builder(client, config).build();
    try {
      return RequiredPermissions.of((Controller<?>) runtime.controller(),
          runtime.leaderElection().map(e -> e.leaseNamespace()).orElse(null), config.shard().namespaces().isPresent());
    } finally {
      runtime.stop();
    }
  }

  /** What the rendered chart grants to the Deployment's ServiceAccount, flattened to single verbs. */
  static Set<Permission> granted(Chart.Rendered r) {
    String sa = r.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName();
    Set<Permission> out = new TreeSet<>();
    for (ClusterRoleBinding b : r.all(ClusterRoleBinding.class)) {
      if (bindsTo(b.getSubjects(), sa)) {
        out.addAll(flatten(RequiredPermissions.ALL_NAMESPACES, clusterRole(r, b.getRoleRef()).getRules()));
      }
    }
    for (RoleBinding b : r.all(RoleBinding.class)) {
      if (bindsTo(b.getSubjects(), sa)) {
        String ns = b.getMetadata().getNamespace();
        List<PolicyRule> rules = b.getRoleRef().getKind().equals("ClusterRole")
            ? clusterRole(r, b.getRoleRef()).getRules()
            : r.all(Role.class).stream().filter(x -> x.getMetadata().getNamespace().equals(ns)
                && x.getMetadata().getName().equals(b.getRoleRef().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("RoleBinding " + b.getMetadata().getName() + " names a missing Role"))
                .getRules();
        out.addAll(flatten(ns, rules));
      }
    }
    return out;
  }

  static boolean bindsTo(List<Subject> subjects, String sa) {
    return subjects.stream().anyMatch(s -> "ServiceAccount".equals(s.getKind()) && sa.equals(s.getName())
        && Chart.NAMESPACE.equals(s.getNamespace()));
  }

  static ClusterRole clusterRole(Chart.Rendered r, RoleRef ref) {
    return r.all(ClusterRole.class).stream().filter(x -> x.getMetadata().getName().equals(ref.getName())).findFirst()
        .orElseThrow(() -> new AssertionError("binding names a ClusterRole the chart does not render: " + ref.getName()));
  }

  static List<Permission> flatten(String ns, List<PolicyRule> rules) {
    List<Permission> out = new ArrayList<>();
    for (PolicyRule rule : rules) {
      for (String g : rule.getApiGroups()) {
        for (String res : rule.getResources()) {
          for (String v : rule.getVerbs()) {
            out.add(new Permission(ns, g, res, v, "chart"));
          }
        }
      }
    }
    return out;
  }
}
