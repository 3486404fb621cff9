package io.pistack.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.model.PodSecurityStandards;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every pod the operator generates for every sample, as {@code render} prints it, meets the Pod Security
 * profile docs/pods.md promises: the database pod "restricted", the others "baseline" (the Pi images and
 * Qdrant's run as root; the docs say what to set for restricted). The chart's own operator pod is checked
 * in HelmChartTest; PodSecurityOnRealApiTest has the API server's admission judge the same pods.
 */
class GeneratedPodsSecurityTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @ParameterizedTest
  @MethodSource("io.pistack.operator.it.Stacks#samples")
  void everyRenderedPodMeetsItsDocumentedProfile(Path sample) throws Exception {
    RenderCommandTest.Result r = RenderCommandTest.render("-f", sample.toString());
    assertThat(r.code()).as(r.err()).isZero();
    List<String> checked = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(r.out())) {
      for (var it = YAML.readValues(parser, JsonNode.class); it.hasNext(); ) {
        JsonNode o = it.next();
        String kind = o.path("kind").asText();
        JsonNode template = switch (kind) {
          case "Deployment", "StatefulSet", "Job" -> o.path("spec").path("template").path("spec");
          case "CronJob" -> o.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
          default -> null;
        };
        if (template == null) {
          continue;
        }
        String what = kind + "/" + o.path("metadata").path("name").asText();
        PodSpec pod = Serialization.jsonMapper().treeToValue(template, PodSpec.class);
        assertThat(PodSecurityStandards.baseline(pod)).as("%s of %s: baseline", what, sample.getFileName()).isEmpty();
        if (kind.equals("StatefulSet")) {
          assertThat(PodSecurityStandards.restricted(pod)).as("%s of %s: restricted", what, sample.getFileName())
              .isEmpty();
        }
        checked.add(what);
      }
    }
    assertThat(checked).as("pods rendered for %s", sample.getFileName()).isNotEmpty();
  }
}
