package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.realapi.HostileCase.Expect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The machine-checked outcomes of a hostile case (README in src/test/resources/hostile), each an assertion on what
 * the real API server holds. Waits are bounded by {@link RealApiStack#T}.
 */
final class HostileChecks {
  static final Duration T = RealApiStack.T;
  private static final String PISTACK = "pistack.io/v1alpha1";

  /** A case as it was applied: its namespace, the substitutions, what the API server refused, what it stored. */
  record Applied(HostileCase c, String ns, Map<String, String> vars, Map<String, String> refusals,
      Map<String, GenericKubernetesResource> created) {
    JsonNode get(String key) {
      return c.get(key, vars);
    }

    String stack() {
      return c.stackName();
    }
  }

  private final KubernetesClient admin;

  HostileChecks(KubernetesClient admin) {
    this.admin = admin;
  }

  void check(Applied a) {
    // untouched deletes the stack to see the foreign objects outlive it: it is judged after everything else.
    List<Expect> order = a.c().expects().stream()
        .sorted(java.util.Comparator.comparing(e -> e == Expect.untouched)).toList();
    for (Expect e : order) {
      for (int attempt = 1; ; attempt++) {
        try {
          check(a, e);
          break;
        } catch (KubernetesClientException ex) {
          if (attempt == 3) {
            throw ex;
          }
          sleep(2000); // a request that timed out on a loaded API server: the check again
        }
      }
    }
  }

  private void check(Applied a, Expect e) {
    {
      switch (e) {
        case rejected -> rejected(a);
        case refused -> refused(a);
        case condition -> conditions(a, a.get("condition"));
        case not_counted -> notCounted(a);
        case renders -> renders(a);
        case policy -> HostilePolicies.check(admin, a, this);
        case restart -> { } // judged by the runner, which restarts the operator
        case untouched -> untouched(a);
        default -> throw new IllegalArgumentException(e.toString());
      }
    }
  }

  /** The API server refused the PiStack (or the header's {@code object}), naming {@code field}. */
  private void rejected(Applied a) {
    String key = a.get("object").isMissingNode() ? "PiStack/" + a.stack() : a.get("object").asText();
    assertThat(a.refusals()).as("%s: the API server's refusal of %s", a.c(), key).containsKey(key);
    assertThat(a.refusals().get(key)).as("%s: the refusal names the field", a.c()).contains(a.get("field").asText());
  }

  /**
   * Refused naming {@code field}: by the API server, or, when admitted (an object stored under an older CRD), by the
   * operator: Ready=False with {@code reason} (default InvalidSpec), the field in the message.
   */
  private void refused(Applied a) {
    String field = a.get("field").asText();
    String refusal = a.refusals().get("PiStack/" + a.stack());
    if (refusal != null) {
      assertThat(refusal).as("%s: the API server's refusal names the field", a.c()).contains(field);
      return;
    }
    String reason = a.get("reason").isMissingNode() ? "InvalidSpec" : a.get("reason").asText();
    awaitCondition(a, "Ready", "False", reason, field);
  }

  /**
   * Every condition the header lists: {type, status, reason, message (a part of it)}; a field not given is free (no
   * type: any condition with that reason).
   */
  void conditions(Applied a, JsonNode wanted) {
    for (JsonNode w : wanted.isArray() ? wanted : List.of(wanted)) {
      awaitCondition(a, text(w, "type"), text(w, "status"), text(w, "reason"), text(w, "message"));
    }
  }

  private static String text(JsonNode n, String key) {
    return n.hasNonNull(key) ? n.path(key).asText() : null;
  }

  private void awaitCondition(Applied a, String type, String status, String reason, String message) {
    String wanted = "type " + type + ", status " + status + ", reason " + reason + ", message containing " + message;
    await().atMost(T).ignoreExceptionsInstanceOf(KubernetesClientException.class).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
        assertThat(conditions(a.ns(), a.stack()).stream().anyMatch(c -> is(c, "type", type) && is(c, "status", status)
            && is(c, "reason", reason) && (message == null || c.path("message").asText().contains(message))))
            .as("%s: PiStack %s has a condition with %s; status: %s", a.c(), a.stack(), wanted, status(a)).isTrue());
  }

  private static boolean is(JsonNode c, String field, String value) {
    return value == null || value.equals(c.path(field).asText());
  }

  private String status(Applied a) {
    GenericKubernetesResource s = stack(a.ns(), a.stack());
    return s == null ? "no PiStack" : Serialization.asJson(s.getAdditionalProperties().get("status"));
  }

  GenericKubernetesResource stack(String ns, String name) {
    return admin.genericKubernetesResources(PISTACK, "PiStack").inNamespace(ns).withName(name).get();
  }

  private List<JsonNode> conditions(String ns, String name) {
    GenericKubernetesResource s = stack(ns, name);
    List<JsonNode> out = new ArrayList<>();
    if (s != null) {
      Judges.tree(Serialization.asJson(s)).path("status").path("conditions").forEach(out::add);
    }
    return out;
  }

  /** The stack's reconcile has completed for its current generation (status.observedGeneration). */
  void awaitObserved(Applied a) {
    await().atMost(T).ignoreExceptionsInstanceOf(KubernetesClientException.class).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      GenericKubernetesResource s = stack(a.ns(), a.stack());
      assertThat(s).as("%s: PiStack %s", a.c(), a.stack()).isNotNull();
      assertThat(Judges.observed(Serialization.asJson(s))).as("%s: observed; %s", a.c(), status(a)).isTrue();
    });
  }

  /**
   * The decoys finished (a Job's Failed/Complete condition, a pod as written) before anything is judged; then the
   * listed conditions hold for 10 s, and the decoys are untouched.
   */
  private void notCounted(Applied a) {
    for (JsonNode d : a.get("decoys")) {
      String[] kn = d.asText().split("/", 2);
      if ("Job".equals(kn[0])) {
        await().atMost(T).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> Stream.ofNullable(admin.batch().v1().jobs().inNamespace(a.ns())
                .withName(kn[1]).get()).flatMap(j -> j.getStatus() == null || j.getStatus().getConditions() == null
                ? Stream.empty() : j.getStatus().getConditions().stream())
            .anyMatch(c -> List.of("Failed", "Complete").contains(c.getType()) && "True".equals(c.getStatus())));
      }
    }
    awaitObserved(a);
    conditions(a, a.get("condition"));
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < until) {
      conditions(a, a.get("condition"));
      sleep(1000);
    }
    untouched(a, a.get("decoys"), false);
  }

  /** The stack's own objects of the listed kinds contain every string and match every pattern of the header. */
  private void renders(Applied a) {
    JsonNode r = a.get("renders");
    await().atMost(T).ignoreExceptionsInstanceOf(KubernetesClientException.class).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
      String all = ownObjects(a, r.path("kinds")).stream().map(Serialization::asJson)
          .reduce("", (x, y) -> x + "\n" + y);
      assertThat(all).as("%s: the stack's %s", a.c(), r.path("kinds")).isNotBlank();
      r.path("contains").forEach(s -> assertThat(all).as("%s: renders", a.c()).contains(s.asText()));
      r.path("matches").forEach(p -> assertThat(Pattern.compile(p.asText()).matcher(all).find())
          .as("%s: renders /%s/ in %s", a.c(), p.asText(), r.path("kinds")).isTrue());
    });
  }

  private List<HasMetadata> ownObjects(Applied a, JsonNode kinds) {
    List<HasMetadata> out = new ArrayList<>();
    String instance = "app.kubernetes.io/instance";
    for (JsonNode k : kinds) {
      var list = switch (k.asText()) {
        case "ConfigMap" -> admin.configMaps().inNamespace(a.ns()).withLabel(instance, a.stack()).list().getItems();
        case "CronJob" -> admin.batch().v1().cronjobs().inNamespace(a.ns()).withLabel(instance, a.stack()).list()
            .getItems();
        case "Job" -> admin.batch().v1().jobs().inNamespace(a.ns()).withLabel(instance, a.stack()).list().getItems();
        case "Deployment" -> admin.apps().deployments().inNamespace(a.ns()).withLabel(instance, a.stack()).list()
            .getItems();
        case "StatefulSet" -> admin.apps().statefulSets().inNamespace(a.ns()).withLabel(instance, a.stack()).list()
            .getItems();
        default -> throw new IllegalArgumentException(k.asText());
      };
      list.stream().filter(o -> !a.created().containsKey(o.getKind() + "/" + o.getMetadata().getName()))
          .forEach(out::add);
    }
    return out;
  }

  private void untouched(Applied a) {
    awaitObserved(a);
    sleep(3000);
    untouched(a, a.get("foreign"), true);
  }

  /**
   * Each listed object of the tenant's is as it was created (no owner reference to a PiStack, same labels and
   * a Secret's or ConfigMap's same annotations and version), used by no pod of the namespace, and, when
   * {@code deleteStack}, survives the deletion of the PiStack (after the garbage collector removed a sentinel the
   * PiStack owns).
   */
  void untouched(Applied a, JsonNode keys, boolean deleteStack) {
    assertThat(keys).as("%s: the header lists the objects", a.c()).isNotEmpty();
    for (JsonNode k : keys) {
      GenericKubernetesResource before = a.created().get(k.asText());
      assertThat(before).as("%s: %s was created; the API server's refusals: %s", a.c(), k.asText(), a.refusals())
          .isNotNull();
      GenericKubernetesResource now = current(before);
      assertThat(now).as("%s: %s still exists", a.c(), k.asText()).isNotNull();
      assertThat(now.getMetadata().getOwnerReferences()).as("%s: owners of %s", a.c(), k.asText())
          .noneMatch(o -> "PiStack".equals(o.getKind()));
      assertThat(now.getMetadata().getLabels()).as("%s: labels of %s", a.c(), k.asText())
          .isEqualTo(before.getMetadata().getLabels());
      if (List.of("Secret", "ConfigMap").contains(now.getKind())) {
        assertThat(now.getMetadata().getAnnotations()).as("%s: annotations of %s", a.c(), k.asText())
            .isEqualTo(before.getMetadata().getAnnotations());
        assertThat(now.getMetadata().getResourceVersion()).as("%s: %s unchanged", a.c(), k.asText())
            .isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(PodReferences.users(admin, a.ns(), now.getKind(), now.getMetadata().getName(), a.created()))
            .as("%s: what uses %s", a.c(), k.asText()).isEmpty();
      }
    }
    if (deleteStack) {
      deleteStackAndAwaitCollection(a);
      for (JsonNode k : keys) {
        assertThat(current(a.created().get(k.asText()))).as("%s: %s survives the PiStack's deletion", a.c(),
            k.asText()).isNotNull();
      }
    }
  }

  private GenericKubernetesResource current(GenericKubernetesResource o) {
    return admin.genericKubernetesResources(o.getApiVersion(), o.getKind()).inNamespace(o.getMetadata()
        .getNamespace()).withName(o.getMetadata().getName()).get();
  }

  private void deleteStackAndAwaitCollection(Applied a) {
    GenericKubernetesResource s = stack(a.ns(), a.stack());
    String sentinel = "hostile-gc-sentinel";
    if (s != null) { // null: deleted by an attempt that then timed out
      admin.configMaps().inNamespace(a.ns()).resource(new ConfigMapBuilder().withNewMetadata().withName(sentinel)
          .withOwnerReferences(new OwnerReference(PISTACK, true, true, "PiStack", a.stack(), s.getMetadata().getUid()))
          .endMetadata().build()).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
      admin.resource(s).delete();
    }
    await().atMost(T).ignoreExceptionsInstanceOf(KubernetesClientException.class).until(() -> stack(a.ns(), a.stack()) == null
        && admin.configMaps().inNamespace(a.ns()).withName(sentinel).get() == null);
    sleep(3000); // the collector deletes the owner's other dependents in the same pass
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The API server's refusal of one object: its message, for {@link Applied#refusals}. */
  static String refusal(KubernetesClientException e) {
    return e.getCode() + " " + Objects.toString(e.getMessage(), "");
  }
}
