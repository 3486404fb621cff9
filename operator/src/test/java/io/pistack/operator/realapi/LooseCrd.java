package io.pistack.operator.realapi;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;

/**
 * The PiStack CRD without its bounds and CEL rules, for a moment: what a PiStack stored under an older CRD (before
 * the bounds existed) can hold. {@link #during} installs it, runs the creations and puts the repository's CRD back,
 * each time waiting until the API server serves the schema it was given (a probe PiStack whose version is longer
 * than the 63 characters the real CRD allows is admitted by the loose one only).
 */
final class LooseCrd {
  private static final Set<String> BOUNDS = Set.of("maximum", "maxLength", "maxItems", "maxProperties",
      "x-kubernetes-validations");
  private static final ObjectMapper JSON = new ObjectMapper();

  private LooseCrd() {}

  static void during(KubernetesClient admin, String probeNamespace, Runnable creations) {
    CustomResourceDefinition strict = read();
    CustomResourceDefinition loose = loosen(strict);
    // Forced: the CRD's fields may be owned by another manager, e.g. kubectl in GettingStartedOnRealApiTest.
    admin.resource(loose).forceConflicts().serverSideApply();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> probeAdmitted(admin, probeNamespace));
    try {
      creations.run();
    } finally {
      admin.resource(strict).forceConflicts().serverSideApply();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .until(() -> !probeAdmitted(admin, probeNamespace));
    }
  }

  private static boolean probeAdmitted(KubernetesClient admin, String ns) {
    GenericKubernetesResource probe = Serialization.unmarshal("""
        apiVersion: pistack.io/v1alpha1
        kind: PiStack
        metadata: {name: crd-probe}
        spec: {version: "%s", licence: {secretName: pi-licence}}
        """.formatted("a".repeat(64)), GenericKubernetesResource.class);
    probe.getMetadata().setNamespace(ns);
    try {
      admin.resource(probe).dryRun().create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422 || e.getCode() == 400) {
        return false;
      }
      throw e;
    }
  }

  static CustomResourceDefinition read() {
    try {
      return Serialization.unmarshal(Files.readString(Stacks.repoRoot().resolve("crds/pistacks.pistack.io-v1.yml")),
          CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static CustomResourceDefinition loosen(CustomResourceDefinition crd) {
    ObjectNode tree = JSON.valueToTree(crd);
    strip(tree);
    return JSON.convertValue(tree, CustomResourceDefinition.class);
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode o) {
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        if (BOUNDS.contains(it.next())) {
          it.remove();
        }
      }
    }
    node.forEach(LooseCrd::strip);
  }
}
