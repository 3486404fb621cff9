package io.pistack.operator.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl pi report <stack>|operator -f bundle.zip [--logs]}: a zip to send to support, with no secret in it;
 * {@code operator} is {@link OperatorReport}'s.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write a zip with the stack, its children, their events and (with --logs) its pods' logs;"
        + " every Secret value, password and licence removed.")
public class ReportCommand implements Callable<Integer> {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Mixin
  Kube kube;

  @Parameters(index = "0", paramLabel = "STACK|operator", description = "The PiStack's name (pistack/NAME for a"
      + " stack named operator), or operator: the operator's Deployment, pods, metrics and events in the namespace"
      + " given by -n.")
  String name;

  @Option(names = {"-f", "--file"}, required = true, description = "The zip file to write.")
  Path file;

  @Option(names = "--logs", description = "Add each container's log (secret values removed).")
  boolean logs;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (OperatorReport.NAME.equals(name)) {
      return new OperatorReport(kube, file, logs).write(spec.commandLine());
    }
    if (name.startsWith("pistack/")) {
      name = name.substring("pistack/".length()); // a stack named "operator": pistack/operator
    }
    ReportCollector c;
    try (KubernetesClient client = kube.client()) {
      c = new ReportCollector(client, name, logs);
    }
    Redactor r = new Redactor(c.secrets);
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".report", ".zip");
    try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
      put(zip, "README.txt", readme(c));
      put(zip, "pistack.yaml", yaml(r, c.stack));
      for (HasMetadata o : c.children) {
        put(zip, "objects/" + o.getKind().toLowerCase() + "/" + o.getMetadata().getName() + ".yaml", yaml(r, o));
      }
      for (HasMetadata o : c.pods) {
        put(zip, "pods/" + o.getMetadata().getName() + ".yaml", yaml(r, o));
      }
      put(zip, "secrets.yaml", YAML.writeValueAsString(c.secrets.stream().map(Redactor::secretSummary).toList()));
      put(zip, "events.yaml", YAML.writeValueAsString(c.events.stream().map(r::object).toList()));
      for (Map.Entry<String, String> e : c.logs.entrySet()) {
        put(zip, "logs/" + e.getKey() + ".log", r.text(e.getValue()));
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    spec.commandLine().getOut().println("wrote " + file + ": pistack/" + name + ", " + c.children.size()
        + " objects, " + c.pods.size() + " pods, " + c.events.size() + " events" + (logs ? ", " + c.logs.size()
        + " logs" : "") + "; Secret values, passwords and the licence removed");
    c.notes.forEach(n -> spec.commandLine().getErr().println("warning: not in the report: " + n));
    spec.commandLine().getOut().flush();
    spec.commandLine().getErr().flush();
    return 0;
  }

  static String yaml(Redactor r, Object o) {
    try {
      return YAML.writeValueAsString(r.object(o));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readme(ReportCollector c) {
    StringBuilder b = new StringBuilder("kubectl pi report for pistack/" + c.stack.getMetadata().getName()
        + " in namespace " + c.stack.getMetadata().getNamespace() + "\n\n"
        + "Removed: every Secret's data (secrets.yaml lists each Secret by name, type and keys only); every value of\n"
        + "any Secret in the namespace wherever it appeared (as written and base64-encoded); every env var,\n"
        + "ConfigMap key and annotation whose name looks like a password, token, key, credential or licence.\n"
        + "Each removed value reads " + Redactor.REDACTED + ".\n");
    if (!c.notes.isEmpty()) {
      b.append("\nNot included (the caller may not read them):\n");
      c.notes.forEach(n -> b.append("  - ").append(n).append('\n'));
    }
    if (!c.skipped.isEmpty()) {
      b.append("\nSkipped (this cluster does not serve them):\n");
      c.skipped.forEach(n -> b.append("  - ").append(n).append('\n'));
    }
    return b.toString();
  }

  static void put(ZipOutputStream zip, String name, String text) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(text.getBytes(StandardCharsets.UTF_8));
    zip.closeEntry();
  }
}
