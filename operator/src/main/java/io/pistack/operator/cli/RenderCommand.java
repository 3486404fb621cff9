package io.pistack.operator.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.desired.DesiredStacks;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SpecValidator;
import io.pistack.operator.model.SpecWarnings;
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
 * Prints every object the operator would apply for the PiStacks in a file, without a cluster: the
 * same validation (the CRD's schema, its CEL rules as mirrored by SpecValidator, and the checks only
 * the operator makes), and the operator's own desired stage (DesiredStacks#fresh: a stack with nothing yet). A file may hold
 * several documents, or a {@code kind: List} as {@code kubectl get pistacks -o yaml} prints it.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = "Print, as multi-document YAML, every object the operator would create for each PiStack in a"
        + " file (several documents, or a kind: List, are fine).")
public class RenderCommand implements Callable<Integer> {
  static final int INVALID = 2;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper LENIENT = YAML.copy()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  @Option(names = {"-f", "--file"}, description = "PiStack YAML file; '-' or absent reads standard input.")
  String file;

  @Option(names = {"-n", "--namespace"}, description = "Namespace when the PiStack names none (default: default).")
  String namespace = "default";

  @Spec
  CommandSpec spec;

  /** One PiStack found in the input, with where it was found. */
  record Found(String where, JsonNode doc) {}

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      return render(out, err);
    } catch (IOException | RuntimeException e) {
      // Never a stack trace: say what could not be read or built, in a sentence.
      err.println("error: cannot render " + source() + ": " + Messages.plain(e));
      err.flush();
      return INVALID;
    }
  }

  private int render(PrintWriter out, PrintWriter err) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (InputStream in = file == null || "-".equals(file) ? System.in : Files.newInputStream(Path.of(file));
         MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(in)) {
      while (it.hasNextValue()) {
        JsonNode d = it.nextValue();
        if (d != null && !d.isNull() && !d.isMissingNode()) {
          docs.add(d);
        }
      }
    } catch (IOException e) {
      err.println("error: cannot read " + source() + ": " + Messages.plain(e));
      return INVALID;
    }
    List<Found> stacks = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < docs.size(); i++) {
      JsonNode d = docs.get(i);
      String where = "document " + (i + 1);
      if (d.isObject() && "List".equals(d.path("kind").asText()) && d.path("items").isArray()) {
        for (int j = 0; j < d.path("items").size(); j++) {
          stacks.add(new Found(where + ", item " + (j + 1), d.path("items").get(j)));
        }
      } else {
        stacks.add(new Found(where, d));
      }
    }
    if (stacks.isEmpty()) {
      err.println("error: " + source() + " holds no PiStack");
      return INVALID;
    }
    boolean several = stacks.size() > 1;
    for (Found f : stacks) {
      List<String> p = problems(f.doc());
      if (!p.isEmpty()) {
        String name = f.doc().path("metadata").path("name").asText("");
        problems.add("the PiStack" + (name.isEmpty() ? "" : " " + name) + (several ? " (" + f.where() + ")" : "")
            + " is invalid:");
        p.forEach(x -> problems.add("  - " + x));
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(x -> err.println(x.startsWith("  - ") ? x : "error: " + x));
      err.flush();
      return INVALID;
    }
    for (Found f : stacks) {
      PiStack stack = LENIENT.treeToValue(f.doc(), PiStack.class);
      if (stack.getMetadata().getNamespace() == null) {
        stack.getMetadata().setNamespace(namespace);
      }
      ResolvedStack resolved = new ResolvedStack(stack);
      SpecWarnings.of(resolved).forEach(w -> err.println("warning: " + stack.getMetadata().getName() + ": " + w));
      // The desired stage itself, for a stack that has nothing yet: what the operator's first pass applies.
      out.print(DesiredStackYaml.of(DesiredStacks.fresh(resolved)));
    }
    out.flush();
    err.flush();
    return 0;
  }

  private String source() {
    return file == null || "-".equals(file) ? "standard input" : file;
  }

  /** Every problem of one PiStack document, as "field.path: message". */
  public static List<String> problems(JsonNode doc) {
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
      // The CRD's CEL rules and the operator's own checks too, so one run lists every problem.
      PiStack stack = LENIENT.treeToValue(doc, PiStack.class);
      SpecValidator.validate(stack).stream().map(Object::toString)
          .filter(p -> !problems.contains(p) && !p.startsWith("metadata.name: metadata.name is required"))
          .forEach(problems::add);
    } catch (IOException | IllegalArgumentException e) {
      // The schema problems above already say why the document does not map to a PiStack.
    }
    return problems.stream().distinct().toList();
  }
}
