package io.pistack.operator.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The real clients that judge a PiStack's status, as small Go programs (realapi/clients): kstatus
 * ({@code sigs.k8s.io/cli-utils} pkg/kstatus/status, what Flux and kstatus-based waiters compute) and
 * Argo CD's health check on gopher-lua. {@code realapi/clients/build.sh} builds them once into a
 * cache keyed by their sources, go.mod and go.sum; a warm call only hashes.
 */
public final class RealClients {
  /** The health check Argo CD runs (the argocd-cm key embeds the same text). */
  public static final String ARGOCD_HEALTH_LUA = "docs/gitops/argocd-health.lua";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path bin;
  private static RuntimeException buildFailure;

  private RealClients() {}

  /** kstatus's verdict on one object: Current, InProgress, Failed, Terminating... */
  public record Kstatus(String status, String message) {}

  /** Argo CD's health of one object: Healthy, Progressing, Degraded, Suspended, Missing, Unknown. */
  public record ArgoHealth(String status, String message) {}

  /** What a program printed (stdout and stderr together) and its exit code. */
  public record Run(int exitCode, String output) {}

  public static Kstatus kstatus(String objectJsonOrYaml) {
    JsonNode n = single(run(objectJsonOrYaml, "kstatus"), "kstatus");
    return new Kstatus(n.path("status").asText(), n.path("message").asText());
  }

  public static ArgoHealth argoHealth(String objectJsonOrYaml) {
    JsonNode n = single(run(objectJsonOrYaml, "argocd-health", "run",
        Stacks.repoRoot().resolve(ARGOCD_HEALTH_LUA).toString(), "-"), "argocd-health");
    return new ArgoHealth(n.path("status").asText(), n.path("message").asText());
  }

  /** {@code argocd-health test <script> <health_test.yaml>}: Argo CD's test layout for customisations. */
  public static Run argoHealthTests(Path script, Path healthTestYaml, String... flags) {
    List<String> args = new ArrayList<>(List.of(flags));
    args.addAll(List.of("test", script.toString(), healthTestYaml.toString()));
    return run(null, "argocd-health", args.toArray(String[]::new));
  }

  public static Run run(String stdin, String program, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(bin().resolve(program).toString());
    cmd.addAll(List.of(args));
    return exec(cmd, stdin, HANG_GUARD_SECONDS);
  }

  /**
   * Only a guard against a program that hangs: none of them waits on anything, they compute. celcost needs about 8
   * CPU-seconds and took 83 s of wall time at load 35 (a clean-clone CI beside five build sessions), past the
   * former 60 s guard; the results they are asked for are asserted by their tests, not timed.
   */
  static final long HANG_GUARD_SECONDS = 600;

  private static JsonNode single(Run r, String what) {
    if (r.exitCode() != 0) {
      throw new AssertionError(what + " failed (exit " + r.exitCode() + "):\n" + r.output());
    }
    List<String> lines = r.output().lines().filter(l -> l.startsWith("{")).toList();
    if (lines.size() != 1) {
      throw new AssertionError(what + " printed " + lines.size() + " results, expected 1:\n" + r.output());
    }
    try {
      return JSON.readTree(lines.get(0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The directory holding both programs, built on first use (cached across runs by realapi/clients/build.sh). */
  public static synchronized Path bin() {
    if (buildFailure != null) {
      throw buildFailure;
    }
    if (bin == null) {
      Path script = Stacks.repoRoot().resolve("realapi/clients/build.sh");
      Run r = exec(List.of("bash", script.toString()), null, 15 * 60);
      List<String> lines = r.output().lines().toList();
      if (r.exitCode() != 0 || lines.isEmpty()) {
        buildFailure = new IllegalStateException("bash realapi/clients/build.sh failed (needs Go and the Go module"
            + " proxy; .ci/run provides both):\n" + r.output());
        throw buildFailure;
      }
      bin = Path.of(lines.get(lines.size() - 1).strip());
    }
    return bin;
  }

  private static Run exec(List<String> cmd, String stdin, long timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
        try (var in = p.getInputStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeoutSeconds + "s");
      }
      return new Run(p.exitValue(), out.get(30, TimeUnit.SECONDS));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
