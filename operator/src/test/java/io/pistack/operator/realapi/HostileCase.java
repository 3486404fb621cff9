package io.pistack.operator.realapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One case of the hostile catalogue (operator/src/test/resources/hostile/*.yaml): a header document saying which
 * finding of issue 23 it tries, what the tenant does and what must come of it, then the objects the tenant places,
 * applied in file order. In the text, {@code $ns} is the case's namespace, {@code $other} a second tenant's
 * namespace and {@code $operatorNs} the operator's; see the README there for the header's keys.
 */
record HostileCase(String file, JsonNode header, List<JsonNode> objects) {
  static final Path DIR = Stacks.repoRoot().resolve("operator/src/test/resources/hostile");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** The outcomes a case can expect (several may be listed). */
  enum Expect { rejected, refused, condition, untouched, not_counted, renders, policy, restart }

  /** When the objects are created: before the operator starts, or while it runs (the default). */
  enum When { before, after }

  static List<HostileCase> all() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(HostileCase::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static HostileCase read(Path f) {
    try {
      List<JsonNode> docs = new ArrayList<>();
      YAML.readValues(YAML.getFactory().createParser(Files.readString(f)), JsonNode.class)
          .forEachRemaining(d -> {
            if (d != null && !d.isNull() && !d.isEmpty()) {
              docs.add(d);
            }
          });
      if (docs.isEmpty() || !docs.get(0).has("finding")) {
        throw new IllegalArgumentException(f + ": the first document must be the header (finding, what, expect)");
      }
      return new HostileCase(f.getFileName().toString(), docs.get(0), List.copyOf(docs.subList(1, docs.size())));
    } catch (IOException e) {
      throw new UncheckedIOException(f.toString(), e);
    }
  }

  String name() {
    return file.replaceFirst("\\.yaml$", "");
  }

  int finding() {
    return header.path("finding").asInt();
  }

  String what() {
    return header.path("what").asText();
  }

  List<Expect> expects() {
    JsonNode e = header.path("expect");
    List<String> names = new ArrayList<>();
    if (e.isArray()) {
      e.forEach(n -> names.add(n.asText()));
    } else {
      names.add(e.asText());
    }
    return names.stream().map(n -> Expect.valueOf(n.replace('-', '_'))).toList();
  }

  boolean expects(Expect e) {
    return expects().contains(e);
  }

  When when() {
    return header.has("when") ? When.valueOf(header.path("when").asText()) : When.after;
  }

  /** Created through a CRD without bounds or CEL rules: an object stored before they existed. */
  boolean loosened() {
    return header.path("loosened").asBoolean(false);
  }

  /** The branch whose fix this case waits for, or null when the fix is on main. */
  String pending() {
    return header.hasNonNull("pending") ? header.path("pending").asText() : null;
  }

  /** Runs in the operator's own namespace instead of one of its own. */
  boolean inOperatorNamespace() {
    return "operator".equals(header.path("namespace").asText());
  }

  /** The PiStack the expectations are about: the header's {@code stack}, else the first PiStack of the case. */
  String stackName() {
    if (header.hasNonNull("stack")) {
      return header.path("stack").asText();
    }
    return objects.stream().filter(o -> "PiStack".equals(o.path("kind").asText()))
        .map(o -> o.path("metadata").path("name").asText()).findFirst().orElse("pi");
  }

  /** A header key, {@link MissingNode} when absent. */
  JsonNode get(String key) {
    return header.path(key);
  }

  /** The case's text with the namespaces substituted, as the documents to create. */
  List<JsonNode> objects(Map<String, String> namespaces) {
    return objects.stream().map(o -> substitute(o, namespaces)).toList();
  }

  /** A header value with the namespaces substituted. */
  JsonNode get(String key, Map<String, String> namespaces) {
    return substitute(header.path(key), namespaces);
  }

  static JsonNode substitute(JsonNode node, Map<String, String> namespaces) {
    if (node.isMissingNode()) {
      return node;
    }
    try {
      String text = YAML.writeValueAsString(node);
      for (Map.Entry<String, String> e : namespaces.entrySet()) {
        text = text.replace(e.getKey(), e.getValue());
      }
      return YAML.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return file;
  }
}
