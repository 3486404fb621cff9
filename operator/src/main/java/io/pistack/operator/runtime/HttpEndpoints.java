package io.pistack.operator.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's single HTTP port: {@code /healthz} (liveness), {@code /readyz} (readiness) and
 * {@code /metrics} (Prometheus text format 0.0.4). GET and HEAD only; nothing here reveals more
 * than names of event sources and metric values.
 */
public final class HttpEndpoints implements AutoCloseable {
  /** An endpoint's answer: healthy or not, and a one-line reason. */
  public record Check(boolean ok, String message) {
    public static Check ok(String message) {
      return new Check(true, message);
    }

    public static Check failed(String message) {
      return new Check(false, message);
    }
  }

  static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final Logger LOG = LoggerFactory.getLogger(HttpEndpoints.class);

  private final HttpServer server;
  private final ExecutorService executor;

  public HttpEndpoints(int port, Supplier<Check> liveness, Supplier<Check> readiness, Supplier<String> metrics) {
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on port " + port + ": " + e.getMessage(), e);
    }
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "http-endpoints");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/healthz", ex -> check(ex, liveness));
    server.createContext("/readyz", ex -> check(ex, readiness));
    server.createContext("/metrics", ex -> {
      if (allowed(ex, "/metrics")) {
        String body;
        try {
          body = metrics.get();
        } catch (RuntimeException e) {
          LOG.warn("scrape failed: {}", e.toString());
          send(ex, 500, "text/plain; charset=utf-8", "scrape failed\n");
          return;
        }
        send(ex, 200, METRICS_CONTENT_TYPE, body);
      }
    });
    server.createContext("/", ex -> {
      ex.getRequestBody().close();
      send(ex, 404, "text/plain; charset=utf-8", "not found: try /healthz, /readyz or /metrics\n");
    });
  }

  public HttpEndpoints start() {
    server.start();
    LOG.info("serving /healthz, /readyz and /metrics on port {}", port());
    return this;
  }

  /** The bound port (useful when 0 asked for any free port). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void check(HttpExchange ex, Supplier<Check> check) throws IOException {
    String path = ex.getHttpContext().getPath();
    if (!allowed(ex, path)) {
      return;
    }
    Check c;
    try {
      c = check.get();
    } catch (RuntimeException e) {
      c = Check.failed("check failed: " + e.getClass().getSimpleName());
    }
    send(ex, c.ok() ? 200 : 503, "text/plain; charset=utf-8", c.message() + "\n");
  }

  /** Exact path, GET or HEAD; answers 404/405 itself otherwise. */
  private static boolean allowed(HttpExchange ex, String path) throws IOException {
    ex.getRequestBody().close();
    if (!ex.getRequestURI().getPath().equals(path)) {
      send(ex, 404, "text/plain; charset=utf-8", "not found\n");
      return false;
    }
    String method = ex.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      ex.getResponseHeaders().set("Allow", "GET, HEAD");
      send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n");
      return false;
    }
    return true;
  }

  private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
    ex.close();
  }
}
