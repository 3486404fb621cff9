package io.pistack.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the Lua tests of the Argo CD health check for PiStack (docs/gitops/argocd-health.lua)
 * with the real {@code lua5.1} interpreter, and checks that the copy embedded in
 * docs/gitops/argocd-cm.yaml has not drifted from the script.
 *
 * <p>{@code lua5.1} is required, not optional: without it the test fails (CI installs it with
 * {@code apt-get install -y lua5.1}).
 */
class ArgoCdHealthLuaTest {

  private static final String LUA = "lua5.1";
  private static final String CM_KEY = "  resource.customizations.health.pistack.io_PiStack: |";
  private static final String BLOCK_INDENT = "    ";
  private static final long TIMEOUT_SECONDS = 120;

  @Test
  void luaTestSuitePasses() throws Exception {
    Path root = repositoryRoot();
    String lua = luaBinary();

    ProcessBuilder pb = new ProcessBuilder(lua, "docs/gitops/test/run_tests.lua")
        .directory(root.toFile())
        .redirectErrorStream(true);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new AssertionError(missingLuaMessage() + " (" + e.getMessage() + ")", e);
    }
    process.getOutputStream().close();
    CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("lua5.1 docs/gitops/test/run_tests.lua did not finish within " + TIMEOUT_SECONDS + "s");
    }
    String out = output.get(30, TimeUnit.SECONDS);

    assertThat(process.exitValue())
        .as("exit code of lua5.1 docs/gitops/test/run_tests.lua; output:%n%s", out)
        .isZero();
    assertThat(out).as("Lua test output").contains("0 failed");
    assertThat(out.lines().map(String::strip))
        .as("Lua test output must end with a 'N passed, 0 failed' line; output:%n%s", out)
        .anyMatch(line -> line.matches("[1-9][0-9]* passed, 0 failed"));
  }

  @Test
  void argoCdConfigMapEmbedsTheHealthScriptVerbatim() throws IOException {
    Path gitops = repositoryRoot().resolve("docs/gitops");
    String script = normalize(Files.readString(gitops.resolve("argocd-health.lua"), StandardCharsets.UTF_8));
    String configMap = Files.readString(gitops.resolve("argocd-cm.yaml"), StandardCharsets.UTF_8);

    String embedded = embeddedScript(configMap);

    assertThat(embedded)
        .as("argocd-cm.yaml must contain the key %s", CM_KEY.strip())
        .isNotNull();
    assertThat(embedded)
        .as("argocd-cm.yaml has drifted from argocd-health.lua: "
            + "regenerate it with `lua5.1 docs/gitops/generate-argocd-cm.lua`")
        .isEqualTo(script);
  }

  @Test
  void everyFixtureIsListedInTheRunner() throws IOException {
    // Plain Lua 5.1 cannot list a directory, so run_tests.lua names its fixtures explicitly.
    Path test = repositoryRoot().resolve("docs/gitops/test");
    String runner = Files.readString(test.resolve("run_tests.lua"), StandardCharsets.UTF_8);
    List<String> fixtures;
    try (Stream<Path> files = Files.list(test.resolve("fixtures"))) {
      fixtures = files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".lua"))
          .map(n -> n.substring(0, n.length() - ".lua".length()))
          .sorted()
          .collect(Collectors.toList());
    }
    assertThat(fixtures).as("fixtures in docs/gitops/test/fixtures").isNotEmpty();
    List<String> unlisted = fixtures.stream()
        .filter(name -> !runner.contains("\"" + name + "\","))
        .collect(Collectors.toList());
    assertThat(unlisted)
        .as("fixtures missing from FIXTURES in docs/gitops/test/run_tests.lua")
        .isEmpty();
  }

  /** The block under {@link #CM_KEY}, de-indented, without trailing newlines; null if absent. */
  static String embeddedScript(String yaml) {
    List<String> lines = new ArrayList<>();
    boolean inBlock = false;
    for (String line : normalize(yaml).split("\n", -1)) {
      if (inBlock) {
        if (line.isEmpty()) {
          lines.add("");
        } else if (line.startsWith(BLOCK_INDENT)) {
          lines.add(line.substring(BLOCK_INDENT.length()));
        } else {
          break;
        }
      } else if (line.equals(CM_KEY)) {
        inBlock = true;
      }
    }
    return inBlock ? stripTrailingNewlines(String.join("\n", lines)) : null;
  }

  private static String normalize(String s) {
    return stripTrailingNewlines(s.replace("\r\n", "\n"));
  }

  private static String stripTrailingNewlines(String s) {
    int end = s.length();
    while (end > 0 && s.charAt(end - 1) == '\n') {
      end--;
    }
    return s.substring(0, end);
  }

  /** Walks up from the module directory until a directory containing docs/gitops is found. */
  static Path repositoryRoot() {
    Path start = Paths.get(System.getProperty("user.dir")).toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("docs/gitops"))) {
        return dir;
      }
    }
    throw new AssertionError("no docs/gitops directory found in " + start + " or any parent directory");
  }

  private static String luaBinary() {
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path candidate = Paths.get(dir, LUA);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    throw new AssertionError(missingLuaMessage());
  }

  private static String missingLuaMessage() {
    return "The '" + LUA + "' interpreter is required to test docs/gitops/argocd-health.lua but was not "
        + "found on PATH. Install it with: apt-get install -y lua5.1";
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
