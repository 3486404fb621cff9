package io.pistack.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pistack.operator.cli.Main;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.runtime.RuntimeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every operator setting ({@code PI_OPERATOR_*}), chart value and CLI flag the documentation names exists, and
 * every chart value and CLI flag is documented: the chart values in docs/install.md's table, the flags in
 * docs/reference/cli.md. (That every {@code PI_OPERATOR_*} variable is in docs/install.md is RuntimeConfigTest's;
 * that every one is a chart value, ChartSettingsTest's.)
 */
class DocsNameRealSettingsTest {
  private static final Path ROOT = Stacks.repoRoot();
  /** A chart value read by `--set`, or written in backticks as a dotted path under one of the chart's sections. */
  private static final Pattern SET = Pattern.compile("--set(?:-string)?[= ]+'?([A-Za-z][A-Za-z0-9_.]*)");
  private static final Pattern SETTING = Pattern.compile("PI_OPERATOR_[A-Z0-9_]*(\\*)?");
  private static final Pattern COMMAND =
      Pattern.compile("pi-operator(?:\\.jar)?\\s+(run|render|version)\\b([^`|>&;#\\n]*)");
  private static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");

  /** The pages a user or a contributor reads (the CHANGELOG is history and may name what is gone). */
  static Map<Path, String> pages() throws IOException {
    Map<Path, String> out = new LinkedHashMap<>();
    List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md"),
        ROOT.resolve("helm/pi-operator/README.md"), ROOT.resolve("helm/pi-operator/templates/NOTES.txt")));
    try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
    }
    for (Path f : files) {
      out.put(ROOT.relativize(f), Files.readString(f));
    }
    return out;
  }

  @Test
  void everyOperatorSettingTheDocsNameExists() throws IOException {
    Set<String> real = Arrays.stream(RuntimeConfig.Variable.values()).map(v -> v.env).collect(Collectors.toSet());
    List<String> unknown = new ArrayList<>();
    pages().forEach((page, text) -> {
      Matcher m = SETTING.matcher(text);
      while (m.find()) {
        String name = m.group();
        boolean exists = m.group(1) != null
            ? real.stream().anyMatch(r -> r.startsWith(name.substring(0, name.length() - 1)))
            : real.contains(name);
        if (!exists) {
          unknown.add(page + ": " + name);
        }
      }
    });
    assertThat(unknown).as("PI_OPERATOR_* names in the docs that RuntimeConfig does not read").isEmpty();
  }

  @Test
  void everyChartValueTheDocsNameExists() throws IOException {
    Set<String> values = chartValues();
    Set<String> sections = values.stream().filter(v -> v.contains(".")).map(v -> v.substring(0, v.indexOf('.')))
        .collect(Collectors.toSet());
    List<String> unknown = new ArrayList<>();
    pages().forEach((page, text) -> {
      if (page.toString().startsWith("helm/pi-operator/README")) {
        return; // generated from values.yaml (ChartReadmeTest)
      }
      Matcher set = SET.matcher(text);
      while (set.find()) {
        if (!isValue(set.group(1), values)) {
          unknown.add(page + ": --set " + set.group(1));
        }
      }
      Matcher code = CODE.matcher(text);
      while (code.find()) {
        String token = code.group(1);
        if (token.matches("[A-Za-z]+(\\.[A-Za-z0-9_*]+)+") && sections.contains(token.substring(0, token.indexOf('.')))
            && !isValue(token, values)) {
          unknown.add(page + ": `" + token + "`");
        }
      }
    });
    installTable().forEach((value, row) -> {
      if (!isValue(value, values) && !row.startsWith("meaning:")) {
        unknown.add("docs/install.md's chart values table: " + value);
      }
    });
    assertThat(unknown).as("chart values named in the docs that helm/pi-operator/values.schema.json does not have"
        + " (write a PiStack field with its spec. prefix)").isEmpty();
  }

  @Test
  void everyChartValueIsInInstallsTable() throws IOException {
    Set<String> documented = installTable().keySet();
    assertThat(chartValues().stream().filter(v -> !documented.contains(v)).toList())
        .as("chart values missing from docs/install.md's chart values table").isEmpty();
  }

  @Test
  void everyCliFlagTheDocsNameExists() throws IOException {
    CommandLine cli = new CommandLine(new Main());
    List<String> unknown = new ArrayList<>();
    pages().forEach((page, text) -> {
      Matcher m = COMMAND.matcher(text);
      while (m.find()) {
        CommandLine sub = cli.getSubcommands().get(m.group(1));
        for (String arg : m.group(2).trim().split("\\s+")) {
          String flag = arg.replaceFirst("=.*", "");
          if (flag.startsWith("-") && flag.length() > 1 && sub.getCommandSpec().findOption(flag) == null) {
            unknown.add(page + ": " + m.group(1) + " " + flag);
          }
        }
      }
    });
    assertThat(unknown).as("flags in the docs that the pi-operator command does not take").isEmpty();
  }

  @Test
  void everyCliCommandAndFlagIsInTheCliReference() throws IOException {
    String reference = Files.readString(ROOT.resolve("docs/reference/cli.md"));
    CommandLine cli = new CommandLine(new Main());
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, CommandLine> sub : cli.getSubcommands().entrySet()) {
      if (!reference.contains("`" + sub.getKey() + "`") && !reference.contains("pi-operator " + sub.getKey())) {
        missing.add(sub.getKey());
      }
      for (OptionSpec o : sub.getValue().getCommandSpec().options()) {
        if (Arrays.stream(o.names()).noneMatch(n -> Pattern.compile("(?<![\\w-])" + Pattern.quote(n) + "(?![\\w-])")
            .matcher(reference).find())) {
          missing.add(sub.getKey() + " " + String.join("/", o.names()));
        }
      }
    }
    for (OptionSpec o : cli.getCommandSpec().options()) {
      if (Arrays.stream(o.names()).noneMatch(reference::contains)) {
        missing.add(String.join("/", o.names()));
      }
    }
    assertThat(missing).as("commands and flags of pi-operator missing from docs/reference/cli.md").isEmpty();
  }

  /**
   * The chart's values: a section of the schema that allows no other keys is walked into; anything else (a
   * scalar, a list, a map of free keys such as resources or labels) is one value.
   */
  static Set<String> chartValues() throws IOException {
    JsonNode schema = new ObjectMapper().readTree(ROOT.resolve("helm/pi-operator/values.schema.json").toFile());
    Set<String> out = new TreeSet<>();
    walk(schema, "", out);
    out.remove("global"); // Helm's own, for subcharts
    return out;
  }

  private static void walk(JsonNode node, String path, Set<String> out) {
    if (node.has("properties") && node.path("additionalProperties").isBoolean()
        && !node.path("additionalProperties").asBoolean()) {
      node.path("properties").fields().forEachRemaining(f ->
          walk(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey(), out));
    } else {
      out.add(path);
    }
  }

  /** A value, a key inside a value that is a map (resources.limits.cpu), or a wildcard matching values. */
  static boolean isValue(String name, Set<String> values) {
    if (name.endsWith(".*")) {
      String prefix = name.substring(0, name.length() - 1);
      return values.stream().anyMatch(v -> v.startsWith(prefix));
    }
    return values.contains(name) || values.stream().anyMatch(v -> name.startsWith(v + "."));
  }

  /**
   * The values docs/install.md's "Chart values" table names, each with where: its first column (a name without
   * a dot takes the section of the cell's first name, as in `stackPolicy.allowHostPath`, `allowPrivileged`), or
   * a name in backticks in its meaning column, taken as a sibling of the row's first value ("meaning:").
   */
  static Map<String, String> installTable() throws IOException {
    String install = Files.readString(ROOT.resolve("docs/install.md"));
    int start = install.indexOf("\n## Chart values");
    assertThat(start).as("docs/install.md has a section \"Chart values\"").isPositive();
    int end = install.indexOf("\n## ", start + 1);
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : install.substring(start, end < 0 ? install.length() : end).split("\n")) {
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split("(?<!\\\\)\\|");
      List<String> names = codes(cells[1]);
      String section = names.get(0).contains(".") ? names.get(0).substring(0, names.get(0).lastIndexOf('.') + 1) : "";
      for (String n : names) {
        out.put(n.contains(".") ? n : section + n, "column");
      }
      for (String n : codes(cells[cells.length - 1])) {
        if (n.matches("[A-Za-z][A-Za-z0-9_]*")) {
          out.putIfAbsent(section + n, "meaning:");
        }
      }
    }
    return out;
  }

  private static List<String> codes(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }
}
