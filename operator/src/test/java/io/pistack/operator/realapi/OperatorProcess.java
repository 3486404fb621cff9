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
 * The real operator process, {@code pi-operator run} (the CLI main) in a child JVM on this test's
 * class path, against the real API server through a kubeconfig, watching one namespace with active
 * probes off; its endpoints on 127.0.0.1. For the tests that must signal it (SIGTERM, SIGKILL), run
 * two of it, or read it from outside (its log, /readyz, /metrics).
 */
final class OperatorProcess implements AutoCloseable {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  final Process process;
  final Path log;
  final String identity;
  final int port;

  /**
   * @param log the file the child's output goes to
   * @param kubeconfig the kubeconfig file the child uses
   * @param identity its HOSTNAME, i.e. its leader-election identity (a pod name)
   * @param env further PI_OPERATOR_* settings (e.g. leader election); a null value removes the variable
   */
  OperatorProcess(Path log, Path kubeconfig, String namespace, String identity, Map<String, String> env)
      throws IOException {
    this.log = log;
    this.identity = identity;
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
    pb.environment().put("PI_OPERATOR_WATCH_NAMESPACES", namespace);
    pb.environment().put("PI_OPERATOR_PROBE_INTERVAL", "off");
    pb.environment().put("PI_OPERATOR_HTTP_PORT", String.valueOf(port));
    env.forEach((name, value) -> {
      if (value == null) {
        pb.environment().remove(name);
      } else {
        pb.environment().put(name, value);
      }
    });
    process = pb.start();
  }

  /** As above, its log {@code <dir>/<n>-<label>.log}, numbered in start order. */
  OperatorProcess(Path dir, String label, Path kubeconfig, String namespace, String identity, Map<String, String> env)
      throws IOException {
    this(dir.resolve(SEQ.incrementAndGet() + "-" + label + ".log"), kubeconfig, namespace, identity, env);
  }

  /** How a test starts one operator process. */
  interface Start {
    OperatorProcess start() throws IOException;
  }

  /**
   * Starts the operator as a pod with restartPolicy Always runs: when the process exits by itself before it has
   * started (JOSDK stops an operator whose informer could not start; on a CPU-starved machine a TLS handshake can
   * outlast the client's 10 s connection timeout), it is started again, as the kubelet would, up to 3 times. Each
   * restart is printed with the line of the log that says why. Returns the process that started.
   */
  static OperatorProcess startedAsAPod(Start start) throws IOException {
    OperatorProcess op = start.start();
    for (int restarts = 0; ; restarts++) {
      OperatorProcess current = op;
      org.awaitility.Awaitility.await().atMost(RealApiServer.timeout()).pollInterval(Duration.ofMillis(200))
          .until(() -> current.started.get() || !current.alive() || current.logText().contains(STARTED)
              && current.started.compareAndSet(false, true));
      if (op.started.get() || op.alive()) {
        return op;
      }
      String why = op.logText().lines().filter(l -> l.contains("could not start")).findFirst().orElse("(no reason)");
      if (restarts == 3) {
        throw new IllegalStateException("the operator exited before it started, 4 times; the last: " + why
            + ", see " + op.log);
      }
      System.out.println("operator " + op.identity + " exited before it started (" + why + "), see " + op.log
          + ": started again, as the kubelet restarts a pod's container");
      op = start.start();
    }
  }

  private static final String STARTED = "pi-operator started:";
  private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();

  /** Past the shutdown hook's installation: the endpoints are up, the operator is starting. */
  boolean starting() {
    return logText().contains("serving /healthz");
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

  /** Reconciles this process started (JOSDK's counter): 0 while it is a standby, -1 when it did not answer. */
  double started() {
    return metric("operator_sdk_reconciliations_started_total");
  }

  /** Reconciles this process finished, with or without error. */
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

  /** The sum of a metric's series, or -1 when the endpoint did not answer. */
  double metric(String name) {
    String body = get("/metrics");
    return body.startsWith("200") ? sum(body, name) : -1;
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

  /** SIGKILL (kill -9: no shutdown hook, nothing flushed, no Lease release), and the process reaped. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("still running 30 s after SIGKILL: " + log);
    }
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
