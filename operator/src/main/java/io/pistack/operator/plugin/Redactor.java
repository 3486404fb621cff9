package io.pistack.operator.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code kubectl pi report} removes before anything reaches the bundle: every value of every Secret in the
 * namespace (as written and base64-encoded, wherever it appears: env, ConfigMaps, annotations, logs), and every value
 * whose name looks like a password, token, key or licence (env vars, ConfigMap keys, annotations). Secrets themselves
 * are reduced to name, type and key names.
 */
public final class Redactor {
  public static final String REDACTED = "<redacted>";
  static final Pattern SENSITIVE = Pattern.compile(
      "(?i).*(pass|pwd|secret|token|licen[cs]e|credential|api[-_.]?key|private[-_.]?key|auth).*");
  private static final int SHORTEST = 4;
  private final List<String> needles;

  /** A redactor that knows the values of {@code secrets}. */
  public Redactor(Collection<Secret> secrets) {
    Set<String> values = new LinkedHashSet<>();
    for (Secret s : secrets) {
      if (s.getData() != null) {
        s.getData().values().forEach(v -> add(values, decode(v)));
      }
      if (s.getStringData() != null) {
        s.getStringData().values().forEach(v -> add(values, v));
      }
    }
    List<String> all = new ArrayList<>(values);
    // Longest first, so a value is removed whole before any of its lines.
    all.sort(Comparator.comparingInt(String::length).reversed());
    this.needles = List.copyOf(all);
  }

  private static void add(Set<String> values, String v) {
    if (v == null || v.strip().length() < SHORTEST) {
      return;
    }
    values.add(v);
    values.add(v.strip());
    values.add(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
    // A multi-line value (a licence file) may reach a log or a YAML block one line at a time.
    if (v.contains("\n")) {
      v.lines().map(String::strip).filter(l -> l.length() >= 8).forEach(values::add);
    }
  }

  private static String decode(String b64) {
    try {
      return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return b64;
    }
  }

  /** {@code text} with every known secret value replaced. */
  public String text(String text) {
    String t = text;
    for (String n : needles) {
      if (t.contains(n)) {
        t = t.replace(n, REDACTED);
      }
    }
    return t;
  }

  /** A Secret as the bundle has it: name, namespace, type, labels, owners and key names; no data. */
  public static Map<String, Object> secretSummary(Secret s) {
    return Map.of("name", s.getMetadata().getName(), "type", String.valueOf(s.getType()),
        "keys", new ArrayList<>(new java.util.TreeSet<>(keys(s))));
  }

  private static Set<String> keys(Secret s) {
    Set<String> k = new LinkedHashSet<>();
    if (s.getData() != null) {
      k.addAll(s.getData().keySet());
    }
    if (s.getStringData() != null) {
      k.addAll(s.getStringData().keySet());
    }
    return k;
  }

  /** Any object of the API, as a JSON tree with sensitive fields and every known secret value removed. */
  public JsonNode object(Object o) {
    JsonNode tree = Serialization.jsonMapper().valueToTree(o);
    return walk(tree);
  }

  private JsonNode walk(JsonNode n) {
    if (n.isTextual()) {
      String t = text(n.asText());
      return t.equals(n.asText()) ? n : TextNode.valueOf(t);
    }
    if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) n).set(i, walk(n.get(i)));
      }
      return n;
    }
    if (!n.isObject()) {
      return n;
    }
    ObjectNode o = (ObjectNode) n;
    // An env var ({name, value}) whose name looks sensitive.
    if (o.has("name") && o.path("value").isTextual() && SENSITIVE.matcher(o.path("name").asText()).matches()) {
      o.put("value", REDACTED);
    }
    for (String map : List.of("data", "binaryData", "annotations", "stringData")) {
      if (o.path(map).isObject()) {
        Iterator<Map.Entry<String, JsonNode>> it = o.path(map).fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          if (SENSITIVE.matcher(e.getKey()).matches() && e.getValue().isTextual()) {
            e.setValue(TextNode.valueOf(REDACTED));
          }
        }
      }
    }
    Iterator<Map.Entry<String, JsonNode>> it = o.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      e.setValue(walk(e.getValue()));
    }
    return o;
  }
}
