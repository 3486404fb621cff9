package io.pistack.operator.realapi;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real operator process, {@code pi-operator run} (the CLI main) in a child JVM on this test's
 * class path, watching one namespace with active probes off; its endpoints on 127.0.0.1. For the
 * tests that must kill it (SIGKILL, SIGTERM) or run two of it.
 */
final class OperatorProcess implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  final Process process;
  final Path log;
  final String identity;
  final int port;

  /**
   * @param kubeconfig the kubeconfig file the child uses
   * @param identity its HOSTNAME, i.e. its leader-election identity (a pod name)
   * @param env further PI_OPERATOR_* settings
   */
  OperatorProcess(Path log, Path kubeconfig, String namespace, String identity, Map<String, String> env)
      throws IOException {
    this.log = log;
    this.identity = identity;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        "io.pistack.operator.cli.Main", "run")
        .redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("HOSTNAME", identity);
    pb.environment().put("PI_OPERATOR_WATCH_NAMESPACES", namespace);
    pb.environment().put("PI_OPERATOR_PROBE_INTERVAL", "off");
    pb.environment().put("PI_OPERATOR_HTTP_PORT", String.valueOf(port));
    pb.environment().putAll(env);
    process = pb.start();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** "200 ready (leader)", "503 ...", or "down" when the endpoint does not answer. */
  String readyz() {
    return get("/readyz");
  }

  boolean ready() {
    return readyz().startsWith("200");
  }

  /** Reconciles this process started (JOSDK's counter): 0 while it is a standby. */
  double reconcilesStarted() {
    return metric("operator_sdk_reconciliations_started_total");
  }

  /** The sum of a metric's series, or -1 when the endpoint did not answer. */
  double metric(String name) {
    String body = get("/metrics");
    if (!body.startsWith("200")) {
      return -1;
    }
    double total = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** GET on 127.0.0.1; "down" when a live process did not answer three times (a busy machine), or at once if it exited. */
  String get(String path) {
    for (int attempt = 0; attempt < 3 && process.isAlive(); attempt++) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().strip();
      } catch (IOException e) {
        // not listening yet, or too busy to answer: try again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "down";
      }
    }
    return "down";
  }

  String logText() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "";
    }
  }

  /** kill -9: no shutdown hook, no Lease release. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM; returns the exit code, or -1 if it is still running after {@code limit}. */
  int terminate(Duration limit) throws InterruptedException {
    process.destroy();
    return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
