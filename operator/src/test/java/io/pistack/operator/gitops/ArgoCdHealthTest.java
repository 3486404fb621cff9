package io.pistack.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Argo CD health check for PiStack (docs/gitops/argocd-health.lua) on gopher-lua, the Lua Argo CD
 * embeds, set up as Argo CD runs a check from argocd-cm, with Argo CD's own test layout for resource
 * customisations: docs/gitops/test/health_test.yaml lists input objects (testdata/) and the exact
 * status and message expected. The real-API tier adds live objects (StatusJudgedByRealClientsTest).
 */
class ArgoCdHealthTest {
  private static final String CM_KEY = "  resource.customizations.health.pistack.io_PiStack: |";
  private static final String BLOCK_INDENT = "    ";

  private final Path root = Stacks.repoRoot();
  private final Path script = root.resolve(RealClients.ARGOCD_HEALTH_LUA);
  private final Path tests = root.resolve("docs/gitops/test/health_test.yaml");

  @Test
  void everyCaseOfTheArgoCdTestLayoutPassesOnGopherLua() throws IOException {
    RealClients.Run r = RealClients.argoHealthTests(script, tests);

    int cases = testCases(tests).size();
    assertThat(cases).as("cases in %s", tests).isGreaterThanOrEqualTo(31);
    assertThat(r.exitCode()).as("argocd-health test; output:%n%s", r.output()).isZero();
    assertThat(r.output().lines()).as("output:%n%s", r.output()).contains(cases + " passed, 0 failed");
  }

  @Test
  void aWrongExpectationFailsTheRun(@TempDir Path tmp) throws IOException {
    // The runner compares status and message exactly, as Argo CD's own test does.
    copyTestdata(tmp);
    String yaml = Files.readString(tests).replaceFirst("message: All 5 components ready", "message: All 5 components up");
    Files.writeString(tmp.resolve("health_test.yaml"), yaml);

    RealClients.Run r = RealClients.argoHealthTests(script, tmp.resolve("health_test.yaml"));

    assertThat(r.exitCode()).as("output:%n%s", r.output()).isEqualTo(1);
    assertThat(r.output()).contains("FAIL - testdata/healthy.yaml: expected Healthy (\"All 5 components up\"),"
        + " got Healthy (\"All 5 components ready\")");
  }

  @Test
  void onlyTheLibrariesArgoCdGivesACustomCheckAreLoaded(@TempDir Path tmp) throws IOException {
    // A check from argocd-cm gets the base, table and package libraries only (no string, math, os)
    // unless useOpenLibs is set; ours must not need more. A script that calls string.format proves
    // the runner withholds the rest.
    copyTestdata(tmp);
    Path needsString = tmp.resolve("needs-string.lua");
    Files.writeString(needsString, "return {status = 'Healthy', message = string.format('%d ready', 3)}\n");
    Files.writeString(tmp.resolve("health_test.yaml"),
        "tests:\n- healthStatus: {status: Healthy, message: 3 ready}\n  inputPath: testdata/healthy.yaml\n");

    RealClients.Run restricted = RealClients.argoHealthTests(needsString, tmp.resolve("health_test.yaml"));
    RealClients.Run open = RealClients.argoHealthTests(needsString, tmp.resolve("health_test.yaml"), "-open-libs");

    assertThat(restricted.exitCode()).as("output:%n%s", restricted.output()).isEqualTo(1);
    assertThat(restricted.output()).contains("attempt to index a non-table object(nil) with key 'format'");
    assertThat(open.exitCode()).as("output:%n%s", open.output()).isZero();
  }

  @Test
  void everyTestdataFileIsACase() throws IOException {
    List<String> listed = testCases(tests).stream().map(c -> String.valueOf(c.get("inputPath"))).sorted().toList();
    List<String> files;
    try (Stream<Path> s = Files.list(tests.resolveSibling("testdata"))) {
      files = s.map(p -> "testdata/" + p.getFileName()).sorted().toList();
    }
    assertThat(listed).as("inputPath entries of %s", tests).containsExactlyElementsOf(files);
  }

  @Test
  void argoCdConfigMapEmbedsTheHealthScriptVerbatim() throws IOException {
    Path gitops = root.resolve("docs/gitops");
    String lua = normalize(Files.readString(gitops.resolve("argocd-health.lua"), StandardCharsets.UTF_8));
    String configMap = Files.readString(gitops.resolve("argocd-cm.yaml"), StandardCharsets.UTF_8);

    assertThat(embeddedScript(configMap))
        .as("argocd-cm.yaml has drifted from argocd-health.lua: regenerate it with"
            + " `bash docs/gitops/generate-argocd-cm.sh`")
        .isEqualTo(lua);
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> testCases(Path healthTestYaml) throws IOException {
    Map<String, Object> doc = Serialization.unmarshal(Files.readString(healthTestYaml), Map.class);
    return (List<Map<String, Object>>) doc.get("tests");
  }

  private void copyTestdata(Path tmp) throws IOException {
    Path target = Files.createDirectories(tmp.resolve("testdata"));
    try (Stream<Path> s = Files.list(tests.resolveSibling("testdata"))) {
      for (Path p : s.toList()) {
        Files.copy(p, target.resolve(p.getFileName()));
      }
    }
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
    return inBlock ? normalize(String.join("\n", lines)) : null;
  }

  private static String normalize(String s) {
    return s.replace("\r\n", "\n").replaceAll("\n+$", "");
  }
}
