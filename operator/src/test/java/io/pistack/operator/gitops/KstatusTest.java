package io.pistack.operator.gitops;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * kstatus (cli-utils v0.37.2, what Flux computes) on every well-formed PiStack of the Argo CD test
 * inputs (hand-written and captured live), against the table in docs/gitops.md. The real-API tier
 * does the same on live objects (StatusJudgedByRealClientsTest, CrdUpgradeOnRealApiTest).
 */
class KstatusTest {
  private final Path testdata = Stacks.repoRoot().resolve("docs/gitops/test/testdata");

  @Test
  void kstatusReadsEveryTestInputAsTheDocsTableSays() throws IOException {
    List<Path> inputs;
    try (Stream<Path> s = Files.list(testdata)) {
      // malformed_* are not valid PiStacks (kstatus rightly refuses e.g. a generation that is a map)
      inputs = s.filter(p -> !p.getFileName().toString().startsWith("malformed_")).sorted().toList();
    }
    Map<String, String> verdicts = kstatus(inputs);

    assertThat(verdicts).hasSize(inputs.size());
    for (Path p : inputs) {
      String json = Serialization.asJson(Serialization.unmarshal(Files.readString(p), Map.class));
      assertThat(verdicts.get(p.getFileName().toString()))
          .as("kstatus of %s; docs/gitops.md \"How kstatus reads a PiStack\" says otherwise", p.getFileName())
          .isEqualTo(DocsKstatusTable.expected(json));
    }
    // The rows that matter most to Flux, by name (so the table's model cannot drift with kstatus).
    assertThat(verdicts).containsEntry("live_applied_no_status_yet.yaml", "Current")
        .containsEntry("live_creating.yaml", "InProgress")
        .containsEntry("live_ready.yaml", "Current")
        .containsEntry("live_crash_looping_dashboard.yaml", "InProgress")
        .containsEntry("live_paused.yaml", "InProgress")
        .containsEntry("live_hibernated.yaml", "InProgress")
        .containsEntry("live_new_generation_not_observed.yaml", "InProgress")
        .containsEntry("live_invalid_spec.yaml", "Failed")
        .containsEntry("stale_generation.yaml", "InProgress")
        .containsEntry("no_observed_generation.yaml", "Current");
  }

  /** kstatus over the files in one run: file name to status. */
  private static Map<String, String> kstatus(List<Path> files) {
    RealClients.Run r = RealClients.run(null, "kstatus", files.stream().map(Path::toString).toArray(String[]::new));
    assertThat(r.exitCode()).as("kstatus output:%n%s", r.output()).isZero();
    List<String> lines = r.output().lines().filter(l -> l.startsWith("{")).toList();
    assertThat(lines).as("one result per file:%n%s", r.output()).hasSameSizeAs(files);
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < files.size(); i++) {
      out.put(files.get(i).getFileName().toString(), DocsKstatusTable.tree(lines.get(i)).path("status").asText());
    }
    return out;
  }
}
