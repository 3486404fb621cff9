package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pistack.operator.it.Stacks;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CRD's bounds and the operator's (SpecBounds) agree: a bound the CRD declares is never looser than the
 * operator's, so the API server never admits a stack the operator then refuses for its size; and every string,
 * list and map a CEL rule reads is bounded in the CRD, so the rule's estimated cost stays small (CrdCelCostTest).
 */
class SpecBoundsAgreeWithTheCrdTest {
  static JsonNode spec;

  @BeforeAll
  static void read() throws Exception {
    JsonNode crd = new ObjectMapper(new YAMLFactory())
        .readTree(Files.readString(Stacks.repoRoot().resolve("crds/pistacks.pistack.io-v1.yml")));
    spec = crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    assertThat(spec.isObject()).as("the CRD's spec schema").isTrue();
  }

  @Test
  void noBoundOfTheCrdIsLooserThanTheOperators() {
    List<String> looser = new ArrayList<>();
    List<String> bounds = new ArrayList<>();
    walk(spec, "spec", (path, node) -> {
      String field = path.replaceAll("(\\[\\]|\\{\\})+$", "");
      field = field.substring(field.lastIndexOf('.') + 1);
      check(node, path, "maxLength", SpecBounds.maxLength(field), looser, bounds);
      check(node, path, "maxItems", SpecBounds.MAX_ENTRIES, looser, bounds);
      check(node, path, "maxProperties", SpecBounds.MAX_ENTRIES, looser, bounds);
    });
    assertThat(bounds).as("the CRD declares bounds").contains("spec.dashboard.podLabels maxProperties 256",
        "spec.storage.storageClassName maxLength 253");
    assertThat(looser).as("bounds of the CRD looser than SpecBounds (the operator would refuse what the API server"
        + " admits)").isEmpty();
  }

  @Test
  void everyStringListAndMapARuleReadsIsBounded() {
    List<String> unbounded = new ArrayList<>();
    List<String> ruled = new ArrayList<>();
    walk(spec, "spec", (path, node) -> {
      if (!node.has("x-kubernetes-validations")) {
        return;
      }
      ruled.add(path);
      String type = node.path("type").asText();
      boolean map = "object".equals(type) && node.has("additionalProperties") && !node.has("properties");
      if ("string".equals(type) && !node.has("maxLength") && !node.has("enum")) {
        unbounded.add(path + " (a string without maxLength)");
      } else if ("array".equals(type) && !node.has("maxItems")) {
        unbounded.add(path + " (a list without maxItems)");
      } else if (map && !node.has("maxProperties")) {
        unbounded.add(path + " (a map without maxProperties)");
      }
    });
    assertThat(ruled).as("fields with CEL rules").contains("spec.dashboard.podLabels", "spec.version",
        "spec.renderer.tolerations", "spec.ingress.host");
    assertThat(unbounded).as("values read by a CEL rule without a bound: bound them (Bounds) or let the operator"
        + " check them").isEmpty();
  }

  private static void check(JsonNode node, String path, String key, int operator, List<String> looser,
      List<String> bounds) {
    if (node.has(key)) {
      int crd = node.get(key).asInt();
      bounds.add(path + " " + key + " " + crd);
      if (crd > operator) {
        looser.add(path + " " + key + " " + crd + " > " + operator);
      }
    }
  }

  interface Visitor {
    void visit(String path, JsonNode node);
  }

  static void walk(JsonNode node, String path, Visitor v) {
    v.visit(path, node);
    for (Map.Entry<String, JsonNode> p : node.path("properties").properties()) {
      walk(p.getValue(), path + "." + p.getKey(), v);
    }
    if (node.path("items").isObject()) {
      walk(node.get("items"), path + "[]", v);
    }
    if (node.path("additionalProperties").isObject()) {
      walk(node.get("additionalProperties"), path + "{}", v);
    }
  }
}
