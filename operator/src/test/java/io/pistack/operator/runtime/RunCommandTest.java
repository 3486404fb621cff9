package io.pistack.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * `pi-operator run` with a bad setting exits non-zero with a message naming the variable, and
 * no stack trace. Runs the real main class in a child JVM so the real exit code is seen.
 */
class RunCommandTest {
  @Test
  void invalidEnvironmentExitsWithAClearMessage() throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.pistack.operator.cli.Main", "run"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("PI_OPERATOR_RECONCILE_THREADS", "lots");
    pb.environment().put("PI_OPERATOR_LOG_FORMAT", "yaml");
    pb.environment().put("KUBECONFIG", new File("target/does-not-exist-kubeconfig").getAbsolutePath());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(2);
    assertThat(out)
        .contains("pi-operator: invalid configuration:")
        .contains("PI_OPERATOR_RECONCILE_THREADS=\"lots\"")
        .contains("PI_OPERATOR_LOG_FORMAT=\"yaml\"")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void jsonLogsAndAClearErrorWhenTheApiServerIsUnreachable() throws Exception {
    Path kubeconfig = Path.of("target", "unreachable-kubeconfig.yaml").toAbsolutePath();
    java.nio.file.Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
        users: [{name: u, user: {token: not-a-real-token}}]
        contexts: [{name: x, context: {cluster: c, user: u, namespace: pi-system}}]
        current-context: x
        """);
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.pistack.operator.cli.Main", "run"));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", kubeconfig.toString());
    pb.environment().put("PI_OPERATOR_LOG_FORMAT", "json");
    // An unreachable API server is retried (not ready) until the sync timeout: a short one here.
    pb.environment().put("PI_OPERATOR_CACHE_SYNC_TIMEOUT", "3s");
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      pb.environment().put("PI_OPERATOR_HTTP_PORT", String.valueOf(free.getLocalPort()));
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isEqualTo(1);
    List<String> logLines = out.lines().filter(l -> l.startsWith("{")).toList();
    assertThat(logLines).as(out).isNotEmpty();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String line : logLines) {
      com.fasterxml.jackson.databind.JsonNode n = json.readTree(line);
      assertThat(n.has("level") && n.has("loggerName") && n.has("timestamp")).as(line).isTrue();
    }
    assertThat(logLines).anySatisfy(l -> assertThat(l).contains("could not start"));
    assertThat(out).contains("pi-operator: could not start:").doesNotContain("not-a-real-token")
        .contains("informers not synced").contains("PI_OPERATOR_CACHE_SYNC_TIMEOUT");
  }
}
