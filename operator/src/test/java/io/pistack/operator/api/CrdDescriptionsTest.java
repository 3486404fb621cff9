package io.pistack.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.it.Stacks;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl explain pistack.spec...} shows every field's description. Every field of the PiStack API has one.
 * A Kubernetes type passed through as it is (affinity, tolerations, env, resources ...: a class of
 * io.fabric8.kubernetes.api.model in the Java API) is repeated per component, so its own fields carry none (that
 * would cost the CRD's size budget, CrdSizeTest); instead the field holding it names the Kubernetes type and the
 * {@code kubectl explain} path of its reference.
 */
class CrdDescriptionsTest {
  static final String KUBERNETES_MODEL = "io.fabric8.kubernetes.api.model.";
  static JsonNode root;
  /** JSON path (spec.dashboard.affinity, spec.dashboard.env[]) of each pass-through field, with its Java type. */
  static final Map<String, Class<?>> PASS_THROUGH = new TreeMap<>();

  @BeforeAll
  static void read() throws Exception {
    JsonNode crd = new ObjectMapper(new YAMLFactory())
        .readTree(Files.readString(Stacks.repoRoot().resolve("crds/pistacks.pistack.io-v1.yml")));
    root = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    javaFields(PiStackSpec.class, "spec");
    javaFields(PiStackStatus.class, "status");
  }

  @Test
  void everyFieldOfThePiStackApiHasADescription() {
    List<String> empty = new ArrayList<>();
    List<String> checked = new ArrayList<>();
    walk(root, "", (path, node) -> {
      if (PASS_THROUGH.keySet().stream().anyMatch(p -> path.startsWith(p + ".") || path.startsWith(p + "[]."))) {
        return; // inside a Kubernetes type: see the next test
      }
      checked.add(path);
      if (node.path("description").asText().isBlank()) {
        empty.add(path);
      }
    });
    assertThat(checked).as("fields checked").contains("spec", "status", "spec.dashboard.tomcatMaxMemoryMb",
        "status.components{}.readyReplicas", "spec.backup.storage.s3.bucket").hasSizeGreaterThan(150);
    assertThat(empty).as("PiStack fields without a description (add @JsonPropertyDescription)").isEmpty();
  }

  @Test
  void everyKubernetesTypePassedThroughNamesItsTypeAndItsReference() {
    assertThat(PASS_THROUGH).as("pass-through fields found in the Java API").containsKeys("spec.dashboard.affinity",
        "spec.scheduler.tolerations", "spec.renderer.env", "spec.database.embedded.resources",
        "spec.image.pullSecrets", "status.conditions").hasSizeGreaterThan(50);
    List<String> bad = new ArrayList<>();
    PASS_THROUGH.forEach((path, type) -> {
      JsonNode node = root.at("/properties/" + path.replace(".", "/properties/"));
      String d = node.path("description").asText();
      if (node.isMissingNode()) {
        bad.add(path + ": not in the CRD");
      } else if (!d.contains("Kubernetes " + type.getSimpleName())
          || !(d.contains("kubectl explain ") || type.getSimpleName().equals("Condition"))) {
        bad.add(path + ": '" + d + "'");
      }
    });
    assertThat(bad).as("pass-through fields whose description does not say 'Kubernetes <Type>' and 'kubectl explain"
        + " <path>'").isEmpty();
  }

  /** Records the pass-through fields of an API class, recursing into the API's own classes. */
  static void javaFields(Class<?> c, String path) {
    for (Field f : c.getFields()) {
      if (Modifier.isStatic(f.getModifiers())) {
        continue;
      }
      String p = path + "." + f.getName();
      Type t = f.getGenericType();
      Class<?> element = f.getType();
      if (t instanceof ParameterizedType pt) {
        Type[] args = pt.getActualTypeArguments();
        element = (Class<?>) (args[args.length - 1] instanceof ParameterizedType inner ? inner.getRawType()
            : args[args.length - 1]);
      }
      if (element.getName().startsWith(KUBERNETES_MODEL)) {
        PASS_THROUGH.put(p, element);
      } else if (element.getName().startsWith("io.pistack.") && !element.isEnum()) {
        String suffix = List.class.isAssignableFrom(f.getType()) ? "[]" : Map.class.isAssignableFrom(f.getType())
            ? "{}" : "";
        javaFields(element, p + suffix);
      }
    }
  }

  interface Visitor {
    void visit(String path, JsonNode node);
  }

  static void walk(JsonNode node, String path, Visitor v) {
    for (Map.Entry<String, JsonNode> p : node.path("properties").properties()) {
      String child = path.isEmpty() ? p.getKey() : path + "." + p.getKey();
      v.visit(child, p.getValue());
      walk(p.getValue(), child, v);
    }
    if (node.path("items").isObject()) {
      walk(node.get("items"), path + "[]", v);
    }
    if (node.path("additionalProperties").isObject()) {
      walk(node.get("additionalProperties"), path + "{}", v);
    }
  }
}
