package io.pistack.operator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.DesiredObjects;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SpecValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints every object the operator would create for a PiStack, without a cluster. */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = "Print, as multi-document YAML, every object the operator would create for a PiStack.")
public class RenderCommand implements Callable<Integer> {
  static final int INVALID = 2;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Option(names = {"-f", "--file"}, description = "PiStack YAML file; '-' or absent reads standard input.")
  String file;

  @Option(names = {"-n", "--namespace"}, description = "Namespace when the PiStack names none (default: default).")
  String namespace = "default";

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonNode doc;
    try (InputStream in = file == null || "-".equals(file) ? System.in : Files.newInputStream(Path.of(file))) {
      doc = YAML.readTree(in);
    } catch (IOException e) {
      err.println("error: cannot read " + (file == null ? "standard input" : file) + ": " + e.getMessage());
      return INVALID;
    }
    List<String> problems = problems(doc);
    if (!problems.isEmpty()) {
      err.println("error: the PiStack is invalid:");
      problems.forEach(p -> err.println("  - " + p));
      return INVALID;
    }
    PiStack stack = YAML.treeToValue(doc, PiStack.class);
    if (stack.getMetadata().getNamespace() == null) {
      stack.getMetadata().setNamespace(namespace);
    }
    SpecValidator.warnings(stack).forEach(w -> err.println("warning: " + w));
    for (HasMetadata o : DesiredObjects.of(new ResolvedStack(stack))) {
      out.print(Serialization.asYaml(o));
    }
    out.flush();
    return 0;
  }

  static List<String> problems(JsonNode doc) {
    List<String> problems = new ArrayList<>();
    if (doc == null || !doc.isObject()) {
      problems.add("(document): expected a PiStack object");
      return problems;
    }
    if (!"PiStack".equals(doc.path("kind").asText())) {
      problems.add("kind: expected PiStack, got '" + doc.path("kind").asText() + "'");
    }
    if (!"pistack.io/v1alpha1".equals(doc.path("apiVersion").asText())) {
      problems.add("apiVersion: expected pistack.io/v1alpha1, got '" + doc.path("apiVersion").asText() + "'");
    }
    if (doc.path("metadata").path("name").asText().isEmpty()) {
      problems.add("metadata.name: required");
    }
    problems.addAll(new CrdSchemaValidator().validate(doc));
    try {
      // The cross-field rules (the CRD's CEL) too, so one run lists every problem.
      PiStack stack = YAML.copy()
          .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
          .treeToValue(doc, PiStack.class);
      SpecValidator.validate(stack).stream().map(Object::toString)
          .filter(p -> !problems.contains(p)).forEach(problems::add);
    } catch (IOException | IllegalArgumentException e) {
      // The schema problems above already say why the document does not map to a PiStack.
    }
    return problems.stream().distinct().toList();
  }
}
