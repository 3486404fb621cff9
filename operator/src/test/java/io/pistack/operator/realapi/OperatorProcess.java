package io.pistack.operator.realapi;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * `pi-operator run` (the CLI main) in a child JVM, against the real API server through a
 * kubeconfig, watching one namespace, active probes off: the real process, which a test can
 * signal (SIGTERM, SIGKILL) and read from outside (its log, /readyz, /metrics).
 */
final class OperatorProcess {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  final Process process;
  final Path log;
  final String identity;
  final int port;

  /**
   * @param dir where the log goes ({@code <n>-<label>.log})
   * @param env more PI_OPERATOR_* settings (e.g. leader election)
   */
  OperatorProcess(Path dir, String label, Path kubeconfig, String ns, String identity, Map<String, String> env)
      throws IOException {
    this.identity = identity;
    this.log = dir.resolve(SEQ.incrementAndGet() + "-" + label + ".log");
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "io.pistack.operator.cli.Main", "run")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("HOSTNAME", identity);
    pb.environment().put("PI_OPERATOR_WATCH_NAMESPACES", ns);
    pb.environment().put("PI_OPERATOR_PROBE_INTERVAL", "off");
    pb.environment().put("PI_OPERATOR_HTTP_PORT", String.valueOf(port));
    pb.environment().putAll(env);
    process = pb.start();
  }

  /** Past the shutdown hook's installation: the endpoints are up, the operator is starting. */
  boolean starting() throws IOException {
    return Files.readString(log).contains("serving /healthz");
  }

  boolean alive() {
    return process.isAlive();
  }

  boolean ready() {
    return get("/readyz").startsWith("200");
  }

  double started() {
    return metric("operator_sdk_reconciliations_started_total");
  }

  double finished() {
    return metric("operator_sdk_reconciliations_success_total")
        + metric("operator_sdk_reconciliations_failed_total");
  }

  /**
   * This process reconciled the stack to the end and found it Ready: its {@code pi_operator_stack_ready}
   * series for the stack (set by every completed reconcile, from the status it decided) is 1.
   */
  boolean reportsReady(String namespace, String name) {
    for (String line : get("/metrics").split("\n")) {
      if (line.startsWith("pi_operator_stack_ready{") && line.contains("namespace=\"" + namespace + "\"")
          && line.contains("name=\"" + name + "\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) == 1.0;
      }
    }
    return false;
  }

  /** Reconciles started and not yet finished, at this moment (-1 when the endpoint did not answer). */
  double inFlight() {
    String body = get("/metrics");
    if (!body.startsWith("200")) {
      return -1;
    }
    return sum(body, "operator_sdk_reconciliations_started_total")
        - sum(body, "operator_sdk_reconciliations_success_total")
        - sum(body, "operator_sdk_reconciliations_failed_total");
  }

  /** SIGKILL (kill -9: no shutdown hook, nothing flushed), and the process reaped. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("still running 30 s after SIGKILL: " + log);
    }
  }

  private double metric(String name) {
    return sum(get("/metrics"), name);
  }

  private static double sum(String body, String name) {
    double total = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  private String get(String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body();
    } catch (IOException e) {
      return "down";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "down";
    }
  }
}
