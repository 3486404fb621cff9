package io.pistack.operator.realapi;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Waits for the control plane's binaries when realapi/build.sh is still building them: .ci/run starts the build in
 * the background so that Maven and the tests that need no API server run meanwhile. realapi/await-build.sh does the
 * waiting (bounded by {@code REALAPI_BUILD_WAIT}, 2400 s by default) and fails with the build's log when the build
 * failed; this bound only guards against the script itself hanging.
 */
final class RealApiBuild {
  private RealApiBuild() {
  }

  /** @param module the Kubernetes module under realapi/ ({@code "."} for 1.33, {@code "k8s-1.30"}) */
  static void await(String module) {
    try {
      Path log = Files.createTempFile("realapi-await-build", ".log");
      Process p = new ProcessBuilder("bash", Stacks.repoRoot().resolve("realapi/await-build.sh").toString(), module)
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long bound = Long.parseLong(System.getenv().getOrDefault("REALAPI_BUILD_WAIT", "2400")) + 60;
      boolean ended = p.waitFor(bound, TimeUnit.SECONDS);
      String out = Files.readString(log, StandardCharsets.UTF_8);
      Files.delete(log);
      System.out.print(out);
      if (!ended || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException("realapi/build.sh did not build the control plane (" + module + "):\n" + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
