package io.pistack.operator.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pistack.operator.cli.Messages;
import io.pistack.operator.cli.RenderCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl pi validate -f file}: the checks of {@code render} (the CRD's schema, its CEL rules, the operator's
 * own), without printing objects and without a cluster.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check the PiStacks in a file as the API server and the operator would; no cluster needed.")
public class ValidateCommand implements Callable<Integer> {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Option(names = {"-f", "--file"}, required = true, description = "PiStack YAML file; '-' reads standard input.")
  String file;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<JsonNode> stacks = new ArrayList<>();
    try (InputStream in = "-".equals(file) ? System.in : Files.newInputStream(Path.of(file));
         MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(in)) {
      while (it.hasNextValue()) {
        JsonNode d = it.nextValue();
        if (d == null || d.isNull() || d.isMissingNode()) {
          continue;
        }
        if ("List".equals(d.path("kind").asText()) && d.path("items").isArray()) {
          d.path("items").forEach(stacks::add);
        } else {
          stacks.add(d);
        }
      }
    } catch (IOException e) {
      err.println("error: cannot read " + file + ": " + Messages.plain(e));
      err.flush();
      return PluginMain.INVALID;
    }
    if (stacks.isEmpty()) {
      err.println("error: " + file + " holds no PiStack");
      err.flush();
      return PluginMain.INVALID;
    }
    boolean invalid = false;
    for (JsonNode d : stacks) {
      String name = d.path("metadata").path("name").asText("(unnamed)");
      List<String> problems = RenderCommand.problems(d);
      if (problems.isEmpty()) {
        out.println("pistack/" + name + " is valid");
      } else {
        invalid = true;
        err.println("error: the PiStack " + name + " is invalid:");
        problems.forEach(p -> err.println("  - " + p));
      }
    }
    out.flush();
    err.flush();
    return invalid ? PluginMain.INVALID : 0;
  }
}
