package io.pistack.operator.catalogue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The catalogue of invalid PiStacks (src/test/resources/catalogue/invalid-pistacks.yaml). */
public final class Catalogue {
  public static final String RESOURCE = "/catalogue/invalid-pistacks.yaml";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** What no message may contain: a Java class name or a stack trace line. */
  public static final Pattern JAVA_LEAK = Pattern.compile(
      "\\b(java|javax|com\\.fasterxml|io\\.fabric8|io\\.pistack|io\\.javaoperatorsdk)\\.[a-z]+\\.|Exception\\b|\\n\\s+at \\S+\\(");

  public enum Expect { admission, invalid, warning }

  /** One case; {@link #document()} is the base stack with the case merged over it. */
  public record Case(String name, Expect expect, String field, JsonNode stack) {
    public ObjectNode document() {
      ObjectNode base = (ObjectNode) read("""
          apiVersion: pistack.io/v1alpha1
          kind: PiStack
          metadata: {name: NAME}
          spec: {version: "2025_10.1", licence: {secretName: pi-licence}}
          """.replace("NAME", name));
      merge(base, stack);
      return base;
    }

    public String yaml() {
      try {
        return YAML.writeValueAsString(document());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The PiStack's name (the case's, unless the case is about the name). */
    public String stackName() {
      return document().path("metadata").path("name").asText();
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private Catalogue() {}

  public static List<Case> all() {
    try (InputStream in = Catalogue.class.getResourceAsStream(RESOURCE)) {
      List<Case> cases = new ArrayList<>();
      for (JsonNode n : YAML.readTree(in)) {
        cases.add(new Case(n.path("case").asText(), Expect.valueOf(n.path("expect").asText()),
            n.path("field").asText(), n.path("stack")));
      }
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<Case> expecting(Expect e) {
    return all().stream().filter(c -> c.expect() == e).toList();
  }

  static JsonNode read(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Objects merge key by key; anything else (lists, scalars) replaces; null removes. */
  static void merge(ObjectNode into, JsonNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode current = into.get(e.getKey());
      if (e.getValue().isNull()) {
        into.remove(e.getKey());
      } else if (current instanceof ObjectNode o && e.getValue().isObject()) {
        merge(o, e.getValue());
      } else {
        into.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }
}
