package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * helm/pi-operator/README.md's values table is generated from values.yaml (each value, its default, and its
 * {@code # --} comment). Regenerate: {@code mvn -B -q -pl operator test -Dtest=ChartReadmeTest -Dchart.readme.write=true}.
 */
class ChartReadmeTest {
  static final String BEGIN = "<!-- values table: generated from values.yaml by ChartReadmeTest -->";
  static final String END = "<!-- end of values table -->";
  private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):.*$");

  @Test
  void theReadmesValuesTableIsCurrent() throws IOException {
    Path readme = Chart.dir().resolve("README.md");
    String text = Files.readString(readme);
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    assertThat(b).as("README.md has the marker " + BEGIN).isGreaterThanOrEqualTo(0);
    String current = text.substring(b + BEGIN.length(), e);
    String expected = "\n" + table(Chart.dir().resolve("values.yaml")) + "\n";
    if (Boolean.getBoolean("chart.readme.write")) {
      Files.writeString(readme, text.substring(0, b + BEGIN.length()) + expected + text.substring(e));
      return;
    }
    assertThat(current).as("helm/pi-operator/README.md is stale: run this test with -Dchart.readme.write=true")
        .isEqualTo(expected);
  }

  static String table(Path valuesYaml) throws IOException {
    Map<String, String> descriptions = descriptions(Files.readString(valuesYaml));
    JsonNode values = new ObjectMapper(new YAMLFactory()).readTree(valuesYaml.toFile());
    StringBuilder out = new StringBuilder("| Key | Type | Default | Description |\n|---|---|---|---|\n");
    rows(values, "", descriptions, out);
    return out.toString();
  }

  private static void rows(JsonNode node, String path, Map<String, String> descriptions, StringBuilder out) {
    if (node.isObject() && node.size() > 0) {
      node.fields().forEachRemaining(f -> rows(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(),
          descriptions, out));
      return;
    }
    String type = node.isObject() ? "object" : node.isArray() ? "list" : node.isBoolean() ? "bool"
        : node.isNumber() ? "int" : "string";
    out.append("| `").append(path).append("` | ").append(type).append(" | `").append(node.toString().replace("|", "\\|"))
        .append("` | ").append(descriptions.getOrDefault(path, "").replace("|", "\\|")).append(" |\n");
  }

  /** The {@code # --} comment (and the comment lines after it) above each key, by dotted path. */
  static Map<String, String> descriptions(String yaml) {
    Map<String, String> out = new HashMap<>();
    Deque<Map.Entry<Integer, String>> stack = new ArrayDeque<>();
    String pending = null;
    for (String line : yaml.split("\n")) {
      String t = line.strip();
      if (t.isEmpty()) {
        pending = null;
      } else if (t.startsWith("# --")) {
        pending = t.substring(4).strip();
      } else if (t.startsWith("#")) {
        pending = pending == null ? null : pending + " " + t.substring(1).strip();
      } else {
        Matcher m = KEY.matcher(line);
        if (m.matches()) {
          int indent = m.group(1).length();
          while (!stack.isEmpty() && stack.peek().getKey() >= indent) {
            stack.pop();
          }
          StringBuilder path = new StringBuilder();
          stack.descendingIterator().forEachRemaining(en -> path.append(en.getValue()).append('.'));
          path.append(m.group(2));
          if (pending != null) {
            out.put(path.toString(), pending);
          }
          stack.push(Map.entry(indent, m.group(2)));
        }
        pending = null;
      }
    }
    return out;
  }
}
