package io.pistack.operator.runtime;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's promtool (package "prometheus"). Missing promtool is a test FAILURE, not a skip:
 * CI installs it, and a machine without it must say how to get it.
 */
public final class Promtool {
  public record Result(int exitCode, String output) {}

  private Promtool() {}

  public static Path binary() {
    for (String candidate : List.of("/usr/bin/promtool", "/usr/local/bin/promtool")) {
      Path p = Path.of(candidate);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(":")) {
        Path p = Path.of(dir, "promtool");
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    return fail("promtool not found: install it with `apt-get install -y prometheus` (Debian's package ships "
        + "/usr/bin/promtool)");
  }

  /** promtool with the arguments, stdin from the given text (may be null). */
  public static Result run(String stdin, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary().toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return fail("promtool timed out");
    }
    return new Result(p.exitValue(), out);
  }
}
