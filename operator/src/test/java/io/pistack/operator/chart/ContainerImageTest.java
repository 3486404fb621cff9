package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pistack.operator.it.Stacks;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile cannot be built here (no container engine), so its promises are checked as text:
 * a JRE-only base without a shell, a non-root user the chart's securityContext agrees with, an
 * exec-form entrypoint running the jar the Maven build produces, temporary files under /tmp.
 */
class ContainerImageTest {
  @Test
  void dockerfileKeepsItsPromises() throws Exception {
    List<String> lines = Files.readAllLines(Stacks.repoRoot().resolve("Dockerfile")).stream()
        .filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(froms.get(froms.size() - 1)).as("runtime base: distroless Java 17, no shell, nonroot")
        .isEqualTo("FROM gcr.io/distroless/java17-debian12:nonroot");
    int runtimeStage = lines.indexOf(froms.get(froms.size() - 1));
    List<String> runtime = lines.subList(runtimeStage, lines.size());
    assertThat(runtime).as("no RUN in the runtime stage: it has no shell").noneMatch(l -> l.startsWith("RUN "));
    assertThat(runtime).contains("USER 65532:65532");

    String entrypoint = runtime.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow()
        .substring("ENTRYPOINT ".length());
    List<String> argv = Arrays.asList(new ObjectMapper().readValue(entrypoint, String[].class));
    assertThat(argv.get(0)).isEqualTo("/usr/bin/java");
    assertThat(argv).contains("-Djava.io.tmpdir=/tmp").endsWith("-jar", "/app/pi-operator.jar", "run");

    String pom = Files.readString(Stacks.repoRoot().resolve("operator/pom.xml"));
    assertThat(pom).contains("<finalName>pi-operator</finalName>");
    assertThat(runtime).contains("COPY --from=build /src/operator/target/pi-operator.jar /app/pi-operator.jar");

    var pod = Chart.render(ValueSets.DEFAULTS).one(Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getContainers().get(0).getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly("/tmp");
  }
}
