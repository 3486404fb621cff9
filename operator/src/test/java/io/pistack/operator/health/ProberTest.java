package io.pistack.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One probe against a real local HTTP server. The tests of what a probe reports use a timeout far above any exchange
 * on this machine; only the timeout's own test uses a short one. (A 300 ms budget for every test failed the huge-body
 * test once in a cold CI run at load 10: the exchange ran out of time, which is not what that test is about.)
 */
class ProberTest {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  HttpServer server;
  final Prober prober = new Prober(TIMEOUT);

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/version", ex -> answer(ex, 200, "2025_10.1\nbuild 1234\n"));
    server.createContext("/json", ex -> answer(ex, 200, "{\"name\":\"renderer\",\"version\":\"2025_10.1\"}"));
    server.createContext("/down", ex -> answer(ex, 503, "<html>stack trace with secrets</html>"));
    server.createContext("/redirect", ex -> {
      ex.getResponseHeaders().add("Location", "/version");
      answer(ex, 302, "");
    });
    server.createContext("/huge", ex -> answer(ex, 200, "x".repeat(1_000_000)));
    server.createContext("/slow", ex -> {
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer(ex, 200, "late");
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange ex, int code, String body) {
    try (ex) {
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    } catch (java.io.IOException e) {
      // the client gave up (timeout test)
    }
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void aHealthyEndpointReportsTheFirstLineOfItsBodyAsTheVersion() {
    ProbeResult r = prober.probe(url("/version"));
    assertThat(r.healthy()).isTrue();
    assertThat(r.httpCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo("2025_10.1");
    assertThat(r.message()).isEmpty();
    assertThat(r.latencyMillis()).isBetween(0L, TIMEOUT.toMillis());
  }

  @Test
  void aJsonBodyGivesItsVersionField() {
    assertThat(prober.probe(url("/json")).version()).isEqualTo("2025_10.1");
  }

  @Test
  void anErrorAnswerIsUnhealthyWithoutItsBody() {
    ProbeResult r = prober.probe(url("/down"));
    assertThat(r.healthy()).isFalse();
    assertThat(r.httpCode()).isEqualTo(503);
    assertThat(r.message()).isEqualTo("HTTP 503");
    assertThat(r.version()).isNull();
  }

  @Test
  void redirectsAreNotFollowed() {
    assertThat(prober.probe(url("/redirect")).message()).isEqualTo("HTTP 302");
  }

  @Test
  void aSlowEndpointTimesOut() {
    Prober prober = new Prober(Duration.ofMillis(300));
    long start = System.nanoTime();
    ProbeResult r = prober.probe(url("/slow"));
    assertThat(r.healthy()).isFalse();
    assertThat(r.message()).isEqualTo("timed out after 300ms");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
  }

  @Test
  void onlyTheStartOfAHugeBodyIsRead() {
    ProbeResult r = prober.probe(url("/huge"));
    assertThat(r.healthy()).as(r.message()).isTrue();
    assertThat(r.version()).hasSize(Prober.MAX_VERSION_LENGTH);
  }

  @Test
  void tcpChecksConnect() throws Exception {
    assertThat(prober.probe(URI.create("tcp://127.0.0.1:" + server.getAddress().getPort())).healthy()).isTrue();
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    ProbeResult r = prober.probe(URI.create("tcp://127.0.0.1:" + closed));
    assertThat(r.healthy()).isFalse();
    assertThat(r.message()).isEqualTo("connection refused");
    assertThat(prober.probe(URI.create("http://127.0.0.1:" + closed + "/version")).message())
        .isEqualTo("connection refused");
  }

  @Test
  void anUnknownHostIsSaidPlainly() {
    assertThat(prober.probe(URI.create("tcp://pi-db.invalid:3306")).message()).isEqualTo("unknown host");
  }

  @Test
  void versionsAreCleanedAndBounded() {
    assertThat(Prober.version("  2025_10.1  \r\n".getBytes(StandardCharsets.UTF_8))).isEqualTo("2025_10.1");
    assertThat(Prober.version("a\u0000b\u001bc".getBytes(StandardCharsets.UTF_8))).isEqualTo("abc");
    assertThat(Prober.version(new byte[0])).isNull();
  }
}
