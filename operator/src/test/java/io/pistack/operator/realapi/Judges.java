package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.gitops.DocsKstatusTable;
import io.pistack.operator.gitops.RealClients;
import io.pistack.operator.gitops.RealClients.ArgoHealth;
import io.pistack.operator.gitops.RealClients.Kstatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Live PiStacks from the real API server, judged by the real clients (kstatus, Argo CD's Lua check
 * on gopher-lua) and compared with what docs/gitops.md promises.
 *
 * <p>With {@code -Dpistack.captureLive=<dir>}, every judged object is also written there, without
 * server bookkeeping, as {@code live_<scenario>.yaml}: that is how the live objects in
 * docs/gitops/test/testdata were captured.
 */
final class Judges {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Judges() {}

  /** The PiStack as the API server returns it, as JSON (exactly what a client reads). */
  static String live(KubernetesClient client, String ns, String name) {
    GenericKubernetesResource r = client.genericKubernetesResources("pistack.io/v1alpha1", "PiStack")
        .inNamespace(ns).withName(name).get();
    assertThat(r).as("PiStack %s/%s", ns, name).isNotNull();
    return Serialization.asJson(r);
  }

  /**
   * The live PiStack once one read of it satisfies the condition: the object returned is the one
   * that did (a later read may already show the next state).
   */
  static String liveWhen(KubernetesClient client, String ns, String name, Predicate<String> condition) {
    String[] seen = new String[1];
    await().atMost(RealApiStack.T).until(() -> condition.test(seen[0] = live(client, ns, name)));
    return seen[0];
  }

  /** Ready with AllComponentsReady, for the generation the object has. */
  static boolean readyAndObserved(String objectJson) {
    return "AllComponentsReady".equals(condition(objectJson, "Ready", "reason")) && observed(objectJson);
  }

  /** status.observedGeneration is metadata.generation. */
  static boolean observed(String objectJson) {
    JsonNode o = tree(objectJson);
    return o.path("status").path("observedGeneration").asLong(-1) == o.path("metadata").path("generation").asLong();
  }

  /** One judged object: both verdicts, and the object for the failure message. */
  record Verdict(String scenario, String object, Kstatus kstatus, ArgoHealth argo) {
    Verdict expectKstatus(String status) {
      assertThat(kstatus.status()).as("kstatus of the PiStack (%s), docs/gitops.md says %s; object:%n%s",
          scenario, status, object).isEqualTo(status);
      return this;
    }

    Verdict expectArgo(String status, String messagePrefix) {
      assertThat(argo.status()).as("Argo CD health of the PiStack (%s); object:%n%s", scenario, object)
          .isEqualTo(status);
      assertThat(argo.message()).as("Argo CD message (%s)", scenario).startsWith(messagePrefix);
      return this;
    }
  }

  /**
   * Runs both clients on the object and checks kstatus against the docs' table "How kstatus reads a
   * PiStack" ({@link DocsKstatusTable}); the caller adds the scenario's own expectations.
   */
  static Verdict judge(String scenario, String objectJson) {
    Kstatus k = RealClients.kstatus(objectJson);
    ArgoHealth a = RealClients.argoHealth(objectJson);
    capture(scenario, objectJson);
    assertThat(k.status()).as("kstatus (%s) disagrees with docs/gitops.md \"How kstatus reads a PiStack\";"
        + " kstatus says %s; object:%n%s", scenario, k, objectJson).isEqualTo(DocsKstatusTable.expected(objectJson));
    return new Verdict(scenario, objectJson, k, a);
  }

  static JsonNode tree(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value of a condition field on the live object, or "" if absent. */
  static String condition(String objectJson, String type, String field) {
    for (JsonNode c : tree(objectJson).path("status").path("conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path(field).asText();
      }
    }
    return "";
  }

  private static void capture(String scenario, String objectJson) {
    String dir = System.getProperty("pistack.captureLive");
    if (dir == null || dir.isBlank()) {
      return;
    }
    ObjectNode o = (ObjectNode) tree(objectJson);
    ObjectNode md = (ObjectNode) o.path("metadata");
    for (String f : new String[] {"managedFields", "uid", "resourceVersion", "creationTimestamp"}) {
      md.remove(f);
    }
    md.put("namespace", "analytics");
    String name = "live_" + scenario.replaceAll("[^A-Za-z0-9]+", "_").toLowerCase() + ".yaml";
    try {
      Files.createDirectories(Path.of(dir));
      Files.writeString(Path.of(dir, name), "# Captured from the real API server (" + scenario
          + "): StatusJudgedByRealClientsTest, -Dpistack.captureLive.\n" + Serialization.asYaml(o)
          .replaceFirst("^---\n", ""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
