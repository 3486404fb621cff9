package io.pistack.operator.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.http.HttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.zip.ZipOutputStream;
import picocli.CommandLine;

/**
 * {@code kubectl pi report operator -f bundle.zip [--logs]} in the operator's namespace ({@code -n}): its
 * Deployments, Services and pods (the chart labels them {@code app.kubernetes.io/part-of=pi-operator}), the events
 * about them, each pod's {@code /metrics} read through the API server's pod proxy
 * ({@code GET /api/v1/namespaces/<ns>/pods/<pod>:<port>/proxy/metrics}, the port named {@code http}), and with
 * {@code --logs} each container's log. The same {@link Redactor} as a stack's report: every value of every Secret of
 * the namespace is removed, and the report is refused when the Secrets cannot be listed.
 */
final class OperatorReport {
  static final String NAME = "operator";
  static final String PART_OF = "app.kubernetes.io/part-of";
  static final int DEFAULT_PORT = 8080;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private final Kube kube;
  private final Path file;
  private final boolean withLogs;
  final List<HasMetadata> objects = new ArrayList<>();
  final List<Pod> pods = new ArrayList<>();
  final List<Secret> secrets = new ArrayList<>();
  final List<Event> events = new ArrayList<>();
  final Map<String, String> metrics = new LinkedHashMap<>();
  final Map<String, String> logs = new LinkedHashMap<>();
  final List<String> notes = new ArrayList<>();
  String namespace;

  OperatorReport(Kube kube, Path file, boolean withLogs) {
    this.kube = kube;
    this.file = file;
    this.withLogs = withLogs;
  }

  int write(CommandLine cl) throws IOException {
    try (KubernetesClient client = kube.client()) {
      collect(client);
    }
    Redactor r = new Redactor(secrets);
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".report", ".zip");
    try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
      ReportCommand.put(zip, "README.txt", r.text(readme()));
      for (HasMetadata o : objects) {
        ReportCommand.put(zip, "objects/" + o.getKind().toLowerCase() + "/" + o.getMetadata().getName() + ".yaml",
            ReportCommand.yaml(r, o));
      }
      for (Pod p : pods) {
        ReportCommand.put(zip, "pods/" + p.getMetadata().getName() + ".yaml", ReportCommand.yaml(r, p));
      }
      ReportCommand.put(zip, "secrets.yaml", YAML.writeValueAsString(secrets.stream().map(Redactor::secretSummary)
          .toList()));
      ReportCommand.put(zip, "events.yaml", YAML.writeValueAsString(events.stream().map(r::object).toList()));
      for (Map.Entry<String, String> e : metrics.entrySet()) {
        ReportCommand.put(zip, "metrics/" + e.getKey() + ".txt", r.text(e.getValue()));
      }
      for (Map.Entry<String, String> e : logs.entrySet()) {
        ReportCommand.put(zip, "logs/" + e.getKey() + ".log", r.text(e.getValue()));
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    cl.getOut().println("wrote " + file + ": the operator in namespace " + namespace + ", " + objects.size()
        + " objects, " + pods.size() + " pods, " + metrics.size() + " metrics (through the API server's pod proxy), "
        + events.size() + " events" + (withLogs ? ", " + logs.size() + " logs" : "")
        + "; Secret values, passwords and the licence removed");
    notes.forEach(n -> cl.getErr().println("warning: not in the report: " + n));
    cl.getOut().flush();
    cl.getErr().flush();
    return 0;
  }

  void collect(KubernetesClient client) {
    namespace = client.getNamespace();
    Map<String, String> sel = Map.of(PART_OF, "pi-operator");
    List<HasMetadata> deployments = new ArrayList<>();
    add("deployments", () -> client.apps().deployments().withLabels(sel).list().getItems(), deployments);
    if (deployments.isEmpty() && notes.isEmpty()) {
      throw new PluginMain.PluginException("no pi-operator Deployment (label " + PART_OF + "=pi-operator) in"
          + " namespace " + namespace + ": give the operator's namespace with -n");
    }
    objects.addAll(deployments);
    add("services", () -> client.services().withLabels(sel).list().getItems(), objects);
    ReportCollector.pods(client, sel, pods, notes);
    ReportCollector.secrets(client, secrets);
    Set<String> names = new HashSet<>();
    objects.forEach(o -> names.add(o.getMetadata().getName()));
    pods.forEach(p -> names.add(p.getMetadata().getName()));
    ReportCollector.events(client, names, events, notes);
    for (Pod p : pods) {
      metrics(client, p);
      if (withLogs) {
        ReportCollector.logs(client, p, logs);
      }
    }
  }

  /** One pod's /metrics, through the API server's pod proxy (RBAC: get pods/proxy); a failure is a note. */
  private void metrics(KubernetesClient client, Pod p) {
    String pod = p.getMetadata().getName();
    String path = "api/v1/namespaces/" + namespace + "/pods/" + pod + ":" + port(p) + "/proxy/metrics";
    String base = client.getMasterUrl().toString();
    try {
      var http = client.getHttpClient();
      HttpResponse<String> r = http.sendAsync(http.newHttpRequestBuilder()
          .uri(URI.create(base.endsWith("/") ? base + path : base + "/" + path)).build(), String.class)
          .get(30, TimeUnit.SECONDS);
      if (r.code() == 200) {
        metrics.put(pod, r.body());
      } else {
        String body = r.body() == null ? "" : r.body().strip();
        notes.add("metrics of pod " + pod + ": the API server's pod proxy answered " + r.code()
            + (body.isEmpty() ? "" : " (" + firstLine(body) + ")"));
      }
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      notes.add("metrics of pod " + pod + ": the API server's pod proxy did not answer: " + Kube.message(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      notes.add("metrics of pod " + pod + ": interrupted");
    }
  }

  /** The container port named http (the chart's), else the chart's default. */
  static int port(Pod p) {
    return p.getSpec().getContainers().stream().flatMap(c -> c.getPorts() == null ? java.util.stream.Stream.empty()
            : c.getPorts().stream()).filter(cp -> "http".equals(cp.getName())).map(ContainerPort::getContainerPort)
        .findFirst().orElse(DEFAULT_PORT);
  }

  private String readme() {
    StringBuilder b = new StringBuilder("kubectl pi report operator, namespace " + namespace + "\n\n"
        + "objects/: the operator's Deployments and Services (label " + PART_OF + "=pi-operator); pods/: its pods;\n"
        + "events.yaml: the events about them; metrics/<pod>.txt: each pod's /metrics, read through the API server's\n"
        + "pod proxy (GET /api/v1/namespaces/" + namespace + "/pods/<pod>:<port>/proxy/metrics);"
        + (withLogs ? " logs/: each container's log." : " no logs (add --logs).") + "\n\n"
        + "Removed: every Secret's data (secrets.yaml lists each Secret of the namespace by name, type and keys only);\n"
        + "every value of any Secret in the namespace wherever it appeared (as written and base64-encoded); every env\n"
        + "var, ConfigMap key and annotation whose name looks like a password, token, key, credential or licence.\n"
        + "Each removed value reads " + Redactor.REDACTED + ".\n");
    if (!notes.isEmpty()) {
      b.append("\nNot included:\n");
      notes.forEach(n -> b.append("  - ").append(n).append('\n'));
    }
    return b.toString();
  }

  private void add(String kind, Supplier<List<? extends HasMetadata>> list, List<HasMetadata> into) {
    try {
      into.addAll(list.get());
    } catch (KubernetesClientException e) {
      notes.add(kind + ": " + Kube.message(e));
    }
  }

  private static String firstLine(String s) {
    String line = s.lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "..." : line;
  }
}
