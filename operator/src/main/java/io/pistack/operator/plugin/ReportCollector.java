package io.pistack.operator.plugin;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What {@code kubectl pi report} reads for one stack: the PiStack; its children (every object of the kinds the
 * operator makes that carries {@code app.kubernetes.io/instance=<stack>}, the HTTPRoute and BackendTLSPolicy
 * included, and the PiBackups naming the stack), its pods; the namespace's Secrets (for
 * their names and keys, and so their values can be removed); the events about any of them; on request the pods' logs.
 * A kind the caller may not list is recorded as a note, not a failure; a kind the cluster does not serve (no CRD) as
 * skipped.
 */
final class ReportCollector {
  final PiStack stack;
  final List<HasMetadata> children = new ArrayList<>();
  final List<Pod> pods = new ArrayList<>();
  final List<Secret> secrets = new ArrayList<>();
  final List<Event> events = new ArrayList<>();
  final Map<String, String> logs = new LinkedHashMap<>();
  final List<String> notes = new ArrayList<>();
  /** Kinds this cluster does not serve (e.g. the Gateway API's without its CRDs): named in README.txt. */
  final List<String> skipped = new ArrayList<>();

  ReportCollector(KubernetesClient client, String name, boolean withLogs) {
    this.stack = Kube.stack(client, name);
    Map<String, String> sel = Map.of(Labels.INSTANCE, name);
    add("deployments", () -> client.apps().deployments().withLabels(sel).list().getItems());
    add("statefulsets", () -> client.apps().statefulSets().withLabels(sel).list().getItems());
    add("services", () -> client.services().withLabels(sel).list().getItems());
    add("configmaps", () -> client.configMaps().withLabels(sel).list().getItems());
    add("persistentvolumeclaims", () -> client.persistentVolumeClaims().withLabels(sel).list().getItems());
    add("serviceaccounts", () -> client.serviceAccounts().withLabels(sel).list().getItems());
    add("jobs", () -> client.batch().v1().jobs().withLabels(sel).list().getItems());
    add("cronjobs", () -> client.batch().v1().cronjobs().withLabels(sel).list().getItems());
    add("ingresses", () -> client.network().v1().ingresses().withLabels(sel).list().getItems());
    add("networkpolicies", () -> client.network().v1().networkPolicies().withLabels(sel).list().getItems());
    add("poddisruptionbudgets", () -> client.policy().v1().podDisruptionBudget().withLabels(sel).list().getItems());
    add("horizontalpodautoscalers",
        () -> client.autoscaling().v2().horizontalPodAutoscalers().withLabels(sel).list().getItems());
    add("httproutes.gateway.networking.k8s.io", () -> client.resources(HTTPRoute.class).withLabels(sel).list().getItems());
    add("backendtlspolicies.gateway.networking.k8s.io",
        () -> client.resources(BackendTLSPolicy.class).withLabels(sel).list().getItems());
    // A PiBackup names its stack in spec.stack (a user's object: no instance label).
    add("pibackups.pistack.io", () -> client.resources(PiBackup.class).list().getItems().stream()
        .filter(b -> b.getSpec() != null && name.equals(b.getSpec().stack)).toList());
    pods(client, sel, pods, notes);
    secrets(client, secrets);
    Set<String> names = new HashSet<>();
    names.add(name);
    children.forEach(c -> names.add(c.getMetadata().getName()));
    pods.forEach(p -> names.add(p.getMetadata().getName()));
    events(client, names, events, notes);
    if (withLogs) {
      pods.forEach(p -> logs(client, p, logs));
    }
  }

  /** The pods with these labels; a refusal is a note. */
  static void pods(KubernetesClient client, Map<String, String> sel, List<Pod> pods, List<String> notes) {
    try {
      pods.addAll(client.pods().withLabels(sel).list().getItems());
    } catch (KubernetesClientException e) {
      notes.add("pods: " + Kube.message(e));
    }
  }

  /** Every Secret of the namespace, or no report: what cannot be read cannot be removed. */
  static void secrets(KubernetesClient client, List<Secret> secrets) {
    try {
      secrets.addAll(client.secrets().list().getItems());
    } catch (KubernetesClientException e) {
      throw new PluginMain.PluginException("cannot list secrets, so their values cannot be removed from the report: "
          + Kube.message(e));
    }
  }

  /** The namespace's events about any of {@code names}; a refusal is a note. */
  static void events(KubernetesClient client, Set<String> names, List<Event> events, List<String> notes) {
    try {
      client.v1().events().list().getItems().stream()
          .filter(e -> e.getInvolvedObject() != null && names.contains(e.getInvolvedObject().getName()))
          .forEach(events::add);
    } catch (KubernetesClientException e) {
      notes.add("events: " + Kube.message(e));
    }
  }

  /** Each container's current log of the pod, under {@code <pod>/<container>}; a refusal is that log's text. */
  static void logs(KubernetesClient client, Pod p, Map<String, String> logs) {
    p.getSpec().getContainers().forEach(c -> {
      String key = p.getMetadata().getName() + "/" + c.getName();
      try {
        String log = client.pods().withName(p.getMetadata().getName()).inContainer(c.getName()).getLog();
        logs.put(key, log == null ? "" : log);
      } catch (KubernetesClientException e) {
        logs.put(key, "(no log: " + Kube.message(e) + ")\n");
      }
    });
  }

  private void add(String kind, Supplier<List<? extends HasMetadata>> list) {
    try {
      children.addAll(list.get());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        skipped.add(kind + ": not served by this cluster (its CustomResourceDefinition is not installed)");
      } else {
        notes.add(kind + ": " + Kube.message(e));
      }
    }
  }
}
