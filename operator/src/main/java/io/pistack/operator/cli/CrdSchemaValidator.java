package io.pistack.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.pistack.operator.model.Suggestions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;

/**
 * Validates a PiStack document against the openAPIV3Schema of the CRD generated at build time
 * (shipped inside the jar). Unknown fields are reported too: the API server would silently prune
 * them, which hides typos. CEL rules are not evaluated here; {@code SpecValidator} mirrors them.
 */
public final class CrdSchemaValidator {
  public static final String CRD_RESOURCE = "/META-INF/fabric8/pistacks.pistack.io-v1.yml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final JsonSchema schema;
  private final JsonNode openApi;

  public CrdSchemaValidator() {
    try (InputStream in = CrdSchemaValidator.class.getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("CRD " + CRD_RESOURCE + " is not on the classpath");
      }
      JsonNode crd = YAML.readTree(in);
      JsonNode openApi = crd.at("/spec/versions/0/schema/openAPIV3Schema").deepCopy();
      // The root lists only spec and status; apiVersion, kind and metadata are checked elsewhere.
      openApi.path("properties").forEach(CrdSchemaValidator::closeObjects);
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApi);
      this.openApi = openApi;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Problems as "field.path: message", empty when the document fits the schema. An unknown field
   * names the closest known one ("did you mean 'licence'?").
   */
  public List<String> validate(JsonNode document) {
    return schema.validate(document).stream()
        .map(m -> "additionalProperties".equals(m.getType()) && m.getProperty() != null
            ? join(path(m.getInstanceLocation().toString()), m.getProperty()) + ": unknown field" + suggestion(m)
            : "required".equals(m.getType()) && m.getProperty() != null
            ? join(path(m.getInstanceLocation().toString()), m.getProperty()) + ": required"
            : path(m.getInstanceLocation().toString()) + ": " + m.getMessage().replaceFirst("^\\$[^:]*: ", ""))
        .sorted()
        .toList();
  }

  private String suggestion(com.networknt.schema.ValidationMessage m) {
    if (!"additionalProperties".equals(m.getType()) || m.getProperty() == null) {
      return "";
    }
    JsonNode at = openApi;
    for (String part : m.getInstanceLocation().toString().replaceFirst("^\\$\\.?", "").split("\\.")) {
      if (part.isEmpty()) {
        continue;
      }
      String field = part.replaceAll("\\[\\d+]$", "");
      at = at.path("properties").path(field);
      if (part.endsWith("]")) {
        at = at.path("items");
      }
    }
    java.util.List<String> known = new java.util.ArrayList<>();
    at.path("properties").fieldNames().forEachRemaining(known::add);
    return Suggestions.closest(m.getProperty(), known).map(k -> "; did you mean '" + k + "'?").orElse("");
  }

  private static String join(String parent, String field) {
    return "(document)".equals(parent) ? field : parent + "." + field;
  }

  private static String path(String jsonPath) {
    String p = jsonPath.startsWith("$.") ? jsonPath.substring(2) : jsonPath.replace("$", "(document)");
    return p.isEmpty() ? "(document)" : p;
  }

  /** additionalProperties: false wherever the schema lists properties and keeps no unknown fields. */
  private static void closeObjects(JsonNode node) {
    if (node instanceof ObjectNode o) {
      if (o.has("properties") && !o.has("additionalProperties")
          && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
        o.put("additionalProperties", false);
      }
      for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) {
        closeObjects(it.next());
      }
    } else if (node != null && node.isArray()) {
      node.forEach(CrdSchemaValidator::closeObjects);
    }
  }
}
