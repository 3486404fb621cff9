package io.pistack.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An operator upgrade restarts no pods: for each PiStack of the previous release's samples, the pod
 * templates this operator builds equal those the previous release's operator built (its `render`
 * output, kept in src/test/resources/previous-release by refresh.sh). A template that differs rolls
 * that workload in every existing stack when the operator is upgraded: if that is intended, list it in
 * previous-release/rollouts.txt with the reason, and say so in docs/upgrade.md and the release notes.
 * CrdUpgradeOnRealApiTest covers the other half: the new CRD under stored PiStacks.
 */
class PodTemplatesSincePreviousReleaseTest {
  static final Path PREVIOUS = Stacks.repoRoot().resolve("operator/src/test/resources/previous-release");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Stream<Path> previousSamples() throws IOException {
    try (Stream<Path> s = Files.list(PREVIOUS.resolve("samples"))) {
      return s.sorted().toList().stream();
    }
  }

  @ParameterizedTest
  @MethodSource("previousSamples")
  void podTemplatesAreThoseOfThePreviousRelease(Path sample) throws IOException {
    Map<String, JsonNode> before = templates(Files.readString(PREVIOUS.resolve("render").resolve(sample.getFileName())));
    RenderCommandTest.Result now = RenderCommandTest.render("-f", sample.toString());
    assertThat(now.code()).as(now.err()).isZero();
    Map<String, JsonNode> after = templates(now.out());

    assertThat(before).as("workloads the previous release rendered for %s", sample.getFileName()).isNotEmpty();
    String release = Files.readString(PREVIOUS.resolve("RELEASE")).strip();
    for (var e : before.entrySet()) {
      boolean listed = intendedRollouts().contains(sample.getFileName() + " " + e.getKey());
      if (listed) {
        assertThat(after.get(e.getKey())).as("%s for %s is listed in previous-release/rollouts.txt but is unchanged"
            + " since %s: remove the line", e.getKey(), sample.getFileName(), release).isNotEqualTo(e.getValue());
      } else {
        assertThat(after.get(e.getKey()))
            .as("pod template of %s for %s changed since the previous release %s: an operator upgrade rolls it in"
                + " every existing stack. If intended, list it in previous-release/rollouts.txt",
                e.getKey(), sample.getFileName(), release)
            .isEqualTo(e.getValue());
      }
    }
  }

  /** "sample Kind/name" of every line of previous-release/rollouts.txt. */
  private static java.util.Set<String> intendedRollouts() throws IOException {
    return Files.readAllLines(PREVIOUS.resolve("rollouts.txt")).stream().map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#"))
        .map(l -> String.join(" ", java.util.Arrays.asList(l.split("\\s+")).subList(0, 2)))
        .collect(java.util.stream.Collectors.toSet());
  }

  /** kind/name to spec.template of every Deployment and StatefulSet in a multi-document render. */
  static Map<String, JsonNode> templates(String yaml) throws IOException {
    Map<String, JsonNode> out = new TreeMap<>();
    try (var parser = YAML.getFactory().createParser(yaml)) {
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode o = it.next();
        String kind = o.path("kind").asText();
        if (kind.equals("Deployment") || kind.equals("StatefulSet")) {
          out.put(kind + "/" + o.path("metadata").path("name").asText(), o.path("spec").path("template"));
        }
      }
    }
    return out;
  }
}
