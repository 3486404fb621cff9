package io.pistack.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Argo CD health check for PiBackup (docs/gitops/argocd-health-pibackup.lua) on gopher-lua, in Argo CD's test
 * layout (docs/gitops/test/pibackup/), embedded verbatim in argocd-cm.yaml; and kstatus (what Flux computes) on the
 * same inputs: a completed backup is Current, a pending, running or verifying one InProgress, a failed one Failed.
 */
class PiBackupHealthTest {
  private static final String CM_KEY = "  resource.customizations.health.pistack.io_PiBackup: |";
  private final Path root = Stacks.repoRoot();
  private final Path script = root.resolve("docs/gitops/argocd-health-pibackup.lua");
  private final Path tests = root.resolve("docs/gitops/test/pibackup/health_test.yaml");

  @Test
  void everyCaseOfTheArgoCdTestLayoutPassesOnGopherLua() throws IOException {
    RealClients.Run r = RealClients.argoHealthTests(script, tests);
    int cases = ArgoCdHealthTest.testCases(tests).size();
    assertThat(cases).isGreaterThanOrEqualTo(9);
    assertThat(r.exitCode()).as("argocd-health test; output:%n%s", r.output()).isZero();
    assertThat(r.output().lines()).as("output:%n%s", r.output()).contains(cases + " passed, 0 failed");
    List<String> listed = ArgoCdHealthTest.testCases(tests).stream().map(c -> String.valueOf(c.get("inputPath")))
        .sorted().toList();
    try (Stream<Path> s = Files.list(tests.resolveSibling("testdata"))) {
      assertThat(listed).containsExactlyElementsOf(s.map(p -> "testdata/" + p.getFileName()).sorted().toList());
    }
  }

  @Test
  void argoCdConfigMapEmbedsTheScriptVerbatim() throws IOException {
    String lua = Files.readString(script, StandardCharsets.UTF_8).replace("\r\n", "\n").replaceAll("\n+$", "");
    List<String> lines = new ArrayList<>();
    boolean in = false;
    for (String line : Files.readString(root.resolve("docs/gitops/argocd-cm.yaml")).split("\n", -1)) {
      if (in) {
        if (line.isEmpty() || line.startsWith("    ")) {
          lines.add(line.isEmpty() ? "" : line.substring(4));
        } else {
          break;
        }
      } else if (line.equals(CM_KEY)) {
        in = true;
      }
    }
    assertThat(String.join("\n", lines).replaceAll("\n+$", ""))
        .as("argocd-cm.yaml has drifted: bash docs/gitops/generate-argocd-cm.sh").isEqualTo(lua);
  }

  @Test
  void kstatusReadsAPiBackupAsFluxWould() throws IOException {
    List<Path> inputs;
    try (Stream<Path> s = Files.list(tests.resolveSibling("testdata"))) {
      inputs = s.filter(p -> !p.getFileName().toString().startsWith("malformed_")).sorted().toList();
    }
    RealClients.Run r = RealClients.run(null, "kstatus", inputs.stream().map(Path::toString).toArray(String[]::new));
    assertThat(r.exitCode()).as("kstatus output:%n%s", r.output()).isZero();
    List<String> lines = r.output().lines().filter(l -> l.startsWith("{")).toList();
    assertThat(lines).hasSameSizeAs(inputs);
    Map<String, String> verdicts = new LinkedHashMap<>();
    for (int i = 0; i < inputs.size(); i++) {
      verdicts.put(inputs.get(i).getFileName().toString(), DocsKstatusTable.tree(lines.get(i)).path("status").asText());
    }
    // Without a status kstatus has nothing to read and says Current, as for a PiStack (docs/gitops.md): a Flux
    // health check that waits for a PiBackup should wait for its Ready condition (kubectl wait) instead.
    assertThat(verdicts).containsExactlyInAnyOrderEntriesOf(Map.of(
        "no_status.yaml", "Current",
        "pending.yaml", "InProgress",
        "running.yaml", "InProgress",
        "verifying.yaml", "InProgress",
        "completed.yaml", "Current",
        "failed.yaml", "Failed",
        "stack_not_found.yaml", "Failed",
        "verification_failed.yaml", "Failed"));
  }
}
