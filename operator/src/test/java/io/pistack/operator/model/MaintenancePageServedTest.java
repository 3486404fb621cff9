package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.pistack.operator.model.MaintenancePageDecision.Why;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The page's nginx configuration, served by a real nginx on 127.0.0.1 when one is there ({@code -Dpistack.nginx},
 * the PATH, /usr/sbin; e.g. Debian's nginx-light, unpacked with {@code apt-get download nginx-light && dpkg -x};
 * skipped, not failed, without one): every path, GET and HEAD, answers 503 with Retry-After and
 * the page. Only the listen address and the directories differ from what the pod runs: the test substitutes a free
 * loopback port for the dashboard's 8224 and its temporary directory for /etc/pi-maintenance and /tmp (and keeps
 * the workers as root when the test runs as root); everything else is the ConfigMap's text as the builder renders
 * it.
 */
class MaintenancePageServedTest {
  @TempDir
  Path dir;

  /** {@code -Dpistack.nginx=<binary>}, else nginx on the PATH or in the usual places; null when there is none. */
  static Path nginx() {
    List<String> candidates = new java.util.ArrayList<>();
    String given = System.getProperty("pistack.nginx");
    if (given != null && !given.isBlank()) {
      candidates.add(given);
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      candidates.add(dir + "/nginx");
    }
    candidates.addAll(List.of("/usr/sbin/nginx", "/usr/local/sbin/nginx"));
    return candidates.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElse(null);
  }

  @Test
  void aRealNginxAnswersEveryPathWith503RetryAfterAndThePage() throws Exception {
    Path nginx = nginx();
    assumeTrue(nginx != null, "no nginx installed: MaintenancePageBuilderTest checks the rendered configuration");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String conf = MaintenancePageContent.nginxConf(8224, 120)
        .replace("listen 8224;", "listen 127.0.0.1:" + port + ";")
        .replace("/tmp/", dir.resolve("tmp").toString() + "/")
        .replace(MaintenancePageBuilder.CONFIG_DIR, dir.toString());
    assertThat(conf).contains("listen 127.0.0.1:" + port + ";").doesNotContain("8224");
    Files.createDirectories(dir.resolve("html"));
    Files.createDirectories(dir.resolve("tmp"));
    Files.writeString(dir.resolve("nginx.conf"), conf);
    Files.writeString(dir.resolve("html/index.html"), MaintenancePageContent.page(Why.UPGRADE, 120));
    Process p = new ProcessBuilder(nginx.toString(), "-e", "stderr", "-p", dir.toString(), "-c",
        // As root (a CI container), the workers would switch to nobody, who may not read the test's directory.
        dir.resolve("nginx.conf").toString(), "-g", "daemon off; user root;")
        .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.log").toFile()).start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      HttpResponse<String> r = null;
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (r == null && System.nanoTime() < until) {
        try {
          r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/pi/")).build(),
              HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException notYet) {
          assertThat(p.isAlive()).as("nginx running; its log: %s", Files.readString(dir.resolve("nginx.log"))).isTrue();
          Thread.sleep(100);
        }
      }
      assertThat(r).as("nginx answered").isNotNull();
      for (String path : List.of("/pi/", "/", "/pi/api/v2/login", "/index.html", "/nginx.conf")) {
        for (String method : List.of("GET", "HEAD")) {
          HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
              .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(a.statusCode()).as(method + " " + path).isEqualTo(503);
          assertThat(a.headers().firstValue("Retry-After")).as(method + " " + path).contains("120");
          assertThat(a.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
          if (method.equals("GET")) {
            assertThat(a.body()).as(path).contains("Down for maintenance", "being upgraded", "about 2 minutes");
          }
        }
      }
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
