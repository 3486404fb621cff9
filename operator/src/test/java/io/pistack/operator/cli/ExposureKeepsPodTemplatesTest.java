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
 * The dashboard's public address became a setting of its own (spec.publicAddress, issue 29): a stack that does not
 * use it keeps exactly its pod templates, so the new operator rolls no pod. exposure-before/ holds what `render`
 * printed for each workload before that change (the operator of main at the branch point, run with
 * {@code -Dexposure.before.write=true}), for every sample of that time and a few Ingress variants (extra/); this
 * test renders the same stacks now and compares every Deployment's and StatefulSet's pod template.
 */
class ExposureKeepsPodTemplatesTest {
  static final Path BEFORE = Stacks.repoRoot().resolve("operator/src/test/resources/exposure-before");
  static final String[] SAMPLES = {"enterprise.yaml", "external-database.yaml", "minimal.yaml", "production.yaml",
      "s3-backups.yaml", "small.yaml", "with-backups.yaml"};
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static Stream<Path> stacks() throws IOException {
    Stream<Path> samples = Stream.of(SAMPLES).map(s -> Stacks.repoRoot().resolve("samples").resolve(s));
    try (Stream<Path> extra = Files.list(BEFORE.resolve("extra"))) {
      return Stream.concat(samples, extra.sorted().toList().stream());
    }
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void podTemplatesAreThoseBeforeThePublicAddress(Path stack) throws IOException {
    RenderCommandTest.Result now = RenderCommandTest.render("-f", stack.toString());
    assertThat(now.code()).as(now.err()).isZero();
    Map<String, JsonNode> after = PodTemplatesSincePreviousReleaseTest.templates(now.out());
    Path golden = BEFORE.resolve(stack.getFileName().toString().replace(".yaml", ".templates.yaml"));
    if (Boolean.getBoolean("exposure.before.write")) {
      Files.writeString(golden, YAML.writeValueAsString(after));
    }
    Map<String, JsonNode> before = new TreeMap<>();
    YAML.readTree(Files.readString(golden)).fields().forEachRemaining(e -> before.put(e.getKey(), e.getValue()));
    assertThat(before).as("workloads rendered for %s before", stack.getFileName()).isNotEmpty();
    assertThat(after).as("pod templates of %s: the public address must not roll an existing stack",
        stack.getFileName()).isEqualTo(before);
  }
}
