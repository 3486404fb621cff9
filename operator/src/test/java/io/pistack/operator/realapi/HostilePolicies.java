package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.realapi.HostileChecks.Applied;
import io.pistack.operator.model.NetworkPolicyEvaluator;
import io.pistack.operator.model.NetworkPolicyEvaluator.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code policy} outcome: once the stack's reconcile completed, the NetworkPolicies stored in its namespace
 * admit (or not) each listed connection. A side is {@code {component: <part>}} (a pod of this stack's workload
 * of that part, e.g. db, dashboard, scheduler) or {@code {namespace: <ns>, labels: {...}}} (any pod there).
 * Evaluated by {@link NetworkPolicyEvaluator}: the test tier has no enforcing network plugin.
 */
final class HostilePolicies {
  private HostilePolicies() {}

  static void check(KubernetesClient admin, Applied a, HostileChecks checks) {
    checks.awaitObserved(a);
    for (JsonNode rule : a.get("policy")) {
      Pod from = pod(admin, a, rule.path("from"));
      Pod to = pod(admin, a, rule.path("to"));
      int port = rule.path("port").asInt();
      if (rule.path("to").has("component")) {
        // The stack's policy for that workload is stored: observedGeneration alone does not say so (a reconcile
        // whose apply of one policy failed, retried with a back-off, still records its generation), and a pod
        // no policy selects is open to all, so judging earlier would report an admitted connection that the
        // operator is about to close (clean-clone CI, 2026-12-06: 4-operator-label-in-tenant-namespace-to-database).
        await().atMost(HostileChecks.T).ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
            .until(() -> NetworkPolicyEvaluator.isolated(
                admin.network().v1().networkPolicies().inNamespace(to.namespace()).list().getItems(), to));
      }
      boolean admitted = NetworkPolicyEvaluator.allows(
          admin.network().v1().networkPolicies().inNamespace(to.namespace()).list().getItems(), from, to, port);
      assertThat(admitted).as("%s: %s -> %s:%d admitted", a.c(), rule.path("from"), rule.path("to"), port)
          .isEqualTo(rule.path("admitted").asBoolean());
    }
  }

  private static Pod pod(KubernetesClient admin, Applied a, JsonNode side) {
    if (side.has("component")) {
      String part = side.path("component").asText();
      PodTemplateSpec t = await().atMost(HostileChecks.T).until(() -> template(admin, a, part), Optional::isPresent)
          .orElseThrow();
      return new Pod(a.ns(), namespaceLabels(admin, a.ns()), t.getMetadata().getLabels());
    }
    String ns = side.path("namespace").asText();
    Map<String, String> labels = new HashMap<>();
    side.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return new Pod(ns, namespaceLabels(admin, ns), labels);
  }

  private static Map<String, String> namespaceLabels(KubernetesClient admin, String ns) {
    Map<String, String> labels = admin.namespaces().withName(ns).get().getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  /** The pod template of the stack's Deployment or StatefulSet of {@code part}. */
  private static Optional<PodTemplateSpec> template(KubernetesClient admin, Applied a, String part) {
    Map<String, String> selector = Map.of("app.kubernetes.io/instance", a.stack(), "app.kubernetes.io/component", part);
    return Stream.<List<? extends HasMetadata>>of(
            admin.apps().deployments().inNamespace(a.ns()).withLabels(selector).list().getItems(),
            admin.apps().statefulSets().inNamespace(a.ns()).withLabels(selector).list().getItems())
        .flatMap(List::stream)
        .map(o -> o instanceof io.fabric8.kubernetes.api.model.apps.Deployment d ? d.getSpec().getTemplate()
            : ((io.fabric8.kubernetes.api.model.apps.StatefulSet) o).getSpec().getTemplate())
        .findFirst();
  }
}
