package io.pistack.operator.docs;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PiStack API reference (docs/reference/pistack.md), written from the committed CRD: one row per field path
 * with its type, default, bounds (schema limits and the messages of its CEL rules) and description. A field whose
 * Java type is a Kubernetes model class (Affinity, Toleration, ResourceRequirements...) is one row pointing at the
 * Kubernetes API reference instead of its whole subtree. Pure and deterministic: the same CRD gives the same text.
 */
final class ApiReference {
  static final String K8S_REFERENCE = "https://kubernetes.io/docs/reference/generated/kubernetes-api/v1.33/";
  private static final String KUBERNETES_MODEL = "io.fabric8.kubernetes.api.model.";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DEFAULT_SENTENCE = Pattern.compile("(?:^|(?<=\\. ))(Defaults?:? [^\\n]*?\\.)(?= |$)");

  private ApiReference() {}

  /** One row of the reference. */
  record Row(String path, String type, String defaultValue, String bounds, String description) {}

  static String markdown(Path crdFile) throws IOException {
    return markdown(crdFile, PiStackSpec.class, PiStackStatus.class);
  }

  /** The reference of the CRD in {@code crdFile}, whose spec and status are these Java types. */
  static String markdown(Path crdFile, Class<?> specType, Class<?> statusType) throws IOException {
    JsonNode crd = null;
    for (Iterator<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
        .readValues(Files.readString(crdFile)); docs.hasNext();) {
      JsonNode d = docs.next();
      if (d != null && "CustomResourceDefinition".equals(d.path("kind").asText())) {
        crd = d;
      }
    }
    if (crd == null) {
      throw new IllegalArgumentException(crdFile + " holds no CustomResourceDefinition");
    }
    JsonNode version = crd.path("spec").path("versions").get(0);
    JsonNode schema = version.path("schema").path("openAPIV3Schema");
    String group = crd.path("spec").path("group").asText();
    StringBuilder out = new StringBuilder();
    String kind = crd.path("spec").path("names").path("kind").asText();
    out.append("# ").append(kind).append(" API reference (`").append(group).append('/').append(version.path("name").asText())
        .append("`)\n\n")
        .append("<!-- Generated from ").append(crdFile.getFileName()).append(" (crds/): do not edit by hand; how to"
            + " regenerate it is in docs/testing.md. -->\n\n")
        .append("Every field of a `").append(crd.path("spec").path("names").path("kind").asText())
        .append("` (short name `").append(crd.path("spec").path("names").path("shortNames").path(0).asText())
        .append("`), generated from the CRD the operator installs, so it says what the API server accepts. ")
        .append("`kubectl explain ").append(kind.toLowerCase(Locale.ROOT)).append(".spec.<field>` prints the same descriptions in the cluster.\n\n")
        .append("- **Type**: a field typed *Kubernetes X* takes the Kubernetes object of that name, as in a pod spec;")
        .append(" its link leads to the Kubernetes API reference. `quantity` is a Kubernetes quantity (`500m`, `4Gi`).\n")
        .append(schema.findValue("default") == null
            ? "- **Default**: what the operator uses when the field is absent (the CRD itself sets no defaults, so"
                + " what you wrote stays what `kubectl get` shows).\n"
            : "- **Default**: what the operator uses when the field is absent; a default in backticks is the CRD's,"
                + " which the API server stores in the " + kind + ".\n")
        .append("- **Bounds**: what the API server refuses outside them: limits, patterns, allowed values, and the")
        .append(" message of each rule (CEL) on the field. The operator's own checks, which need more than one")
        .append(" field or the cluster, are in [status.md](../status.md#validation).\n")
        .append("- A path segment `[]` is an entry of a list, `*` the value of a map entry.\n\n");
    for (String top : List.of("spec", "status")) {
      JsonNode node = schema.path("properties").path(top);
      Class<?> javaType = top.equals("spec") ? specType : statusType;
      JavaType type = JSON.getTypeFactory().constructType(javaType);
      out.append("## `").append(top).append("`\n\n");
      if (node.has("description")) {
        out.append(oneLine(node.path("description").asText())).append("\n\n");
      }
      List<String> contents = new ArrayList<>();
      for (Iterator<String> names = sortedNames(node); names.hasNext();) {
        String name = names.next();
        contents.add("[`" + name + "`](#" + top + name.toLowerCase(Locale.ROOT) + ")");
      }
      out.append(String.join(" · ", contents)).append("\n\n");
      for (Iterator<String> names = sortedNames(node); names.hasNext();) {
        String name = names.next();
        List<Row> rows = new ArrayList<>();
        walk(top + "." + name, node.path("properties").path(name), property(type, name), required(node, name), rows);
        out.append("### `").append(top).append('.').append(name).append("`\n\n");
        table(rows, out);
      }
    }
    return out.toString();
  }

  private static void table(List<Row> rows, StringBuilder out) {
    out.append("| Field | Type | Default | Bounds | Description |\n|---|---|---|---|---|\n");
    for (Row r : rows) {
      out.append("| `").append(r.path()).append("` | ").append(cell(r.type())).append(" | ").append(cell(r.defaultValue()))
          .append(" | ").append(cell(r.bounds())).append(" | ").append(cell(r.description())).append(" |\n");
    }
    out.append('\n');
  }

  private static void walk(String path, JsonNode node, JavaType javaType, boolean required, List<Row> rows) {
    JavaType element = javaType == null ? null
        : javaType.isCollectionLikeType() || javaType.isMapLikeType() ? javaType.getContentType() : javaType;
    String description = node.path("description").asText("");
    String defaultValue = node.has("default") ? "`" + node.path("default") + "`" : "";
    if (defaultValue.isEmpty()) {
      Matcher m = DEFAULT_SENTENCE.matcher(description);
      if (m.find()) {
        defaultValue = m.group(1).replaceFirst("^Defaults?:? ", "").replaceFirst("\\.$", "");
        description = (description.substring(0, m.start(1)) + description.substring(m.end(1))).strip();
      }
    }
    String bounds = bounds(node, required);
    if (isKubernetes(element)) {
      String kind = element.getRawClass().getSimpleName();
      String link = "[Kubernetes `" + kind + "`](" + K8S_REFERENCE + "#" + kind.toLowerCase(Locale.ROOT) + "-v1-core)";
      String type = javaType.isCollectionLikeType() ? "list of " + link
          : javaType.isMapLikeType() ? "map of " + link : link;
      rows.add(new Row(path, type, defaultValue, bounds, description));
      return;
    }
    rows.add(new Row(path, type(node, element), defaultValue, bounds, description));
    if (node.has("properties")) {
      children(path, node, javaType, rows);
    } else if (node.path("items").has("properties")) {
      children(path + "[]", node.path("items"), element, rows);
    } else if (node.path("additionalProperties").has("properties")) {
      children(path + ".*", node.path("additionalProperties"), element, rows);
    }
  }

  /** The rows of an object schema's properties, by name. */
  private static void children(String path, JsonNode object, JavaType javaType, List<Row> rows) {
    for (Iterator<String> names = sortedNames(object); names.hasNext();) {
      String name = names.next();
      walk(path + "." + name, object.path("properties").path(name), property(javaType, name), required(object, name),
          rows);
    }
  }

  private static Iterator<String> sortedNames(JsonNode node) {
    TreeSet<String> names = new TreeSet<>();
    node.path("properties").fieldNames().forEachRemaining(names::add);
    return names.iterator();
  }

  private static boolean required(JsonNode parent, String name) {
    for (JsonNode r : parent.path("required")) {
      if (r.asText().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isKubernetes(JavaType t) {
    if (t == null || !t.getRawClass().getName().startsWith(KUBERNETES_MODEL)) {
      return false;
    }
    String name = t.getRawClass().getSimpleName();
    return !name.equals("Quantity") && !name.equals("IntOrString");
  }

  /** The Java type of a property of a bean type (its element type for a list or map), or null if unknown. */
  private static JavaType property(JavaType owner, String name) {
    if (owner == null) {
      return null;
    }
    JavaType bean = owner.isCollectionLikeType() || owner.isMapLikeType() ? owner.getContentType() : owner;
    if (bean == null || bean.isPrimitive() || bean.getRawClass().getName().startsWith("java.")
        || JsonNode.class.isAssignableFrom(bean.getRawClass())) {
      return null;
    }
    BeanDescription d = JSON.getSerializationConfig().introspect(bean);
    for (BeanPropertyDefinition p : d.findProperties()) {
      if (p.getName().equals(name)) {
        return p.getPrimaryType();
      }
    }
    return null;
  }

  private static String type(JsonNode node, JavaType javaType) {
    if (javaType != null && javaType.getRawClass().getSimpleName().equals("Quantity")) {
      return "quantity";
    }
    if (node.path("x-kubernetes-int-or-string").asBoolean()) {
      return "integer or string";
    }
    String t = node.path("type").asText("");
    switch (t) {
      case "array":
        return "list of " + type(node.path("items"), javaType) ;
      case "object":
        if (node.has("additionalProperties")) {
          return "map of " + type(node.path("additionalProperties"), javaType);
        }
        return node.path("x-kubernetes-preserve-unknown-fields").asBoolean() && !node.has("properties")
            ? "object (any fields)" : "object";
      case "":
        return node.path("x-kubernetes-preserve-unknown-fields").asBoolean() ? "any" : "object";
      default:
        return t;
    }
  }

  private static String bounds(JsonNode node, boolean required) {
    List<String> b = new ArrayList<>();
    if (required) {
      b.add("required");
    }
    if (node.has("minimum") || node.has("maximum")) {
      b.add(range(node.path("minimum"), node.path("maximum")));
    }
    if (node.has("minLength") || node.has("maxLength")) {
      b.add("length " + range(node.path("minLength"), node.path("maxLength")));
    }
    if (node.has("minItems") || node.has("maxItems")) {
      b.add("items " + range(node.path("minItems"), node.path("maxItems")));
    }
    if (node.has("minProperties") || node.has("maxProperties")) {
      b.add("entries " + range(node.path("minProperties"), node.path("maxProperties")));
    }
    if (node.has("enum")) {
      List<String> values = new ArrayList<>();
      node.path("enum").forEach(v -> values.add("`" + v.asText() + "`"));
      b.add("one of " + String.join(", ", values));
    }
    if (node.has("pattern")) {
      b.add("pattern `" + node.path("pattern").asText() + "`");
    }
    for (JsonNode rule : node.path("x-kubernetes-validations")) {
      b.add(rule.has("message") ? rule.path("message").asText() : "rule `" + rule.path("rule").asText() + "`");
    }
    return String.join("; ", b);
  }

  private static String range(JsonNode min, JsonNode max) {
    if (min.isMissingNode()) {
      return "≤ " + number(max);
    }
    if (max.isMissingNode()) {
      return "≥ " + number(min);
    }
    return number(min) + "–" + number(max);
  }

  private static String number(JsonNode n) {
    return n.isNumber() && n.asDouble() == Math.rint(n.asDouble()) ? Long.toString(n.asLong()) : n.asText();
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  private static String cell(String s) {
    return oneLine(s).replace("|", "\\|");
  }
}
