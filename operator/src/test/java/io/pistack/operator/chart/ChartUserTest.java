package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a chart user expects beyond the operator's own settings: a PodDisruptionBudget, install notes. */
class ChartUserTest {
  /** The chart copies and values files of {@link #testPods}: JUnit deletes them after each test. */
  @TempDir
  Path tmp;

  @Test
  void aPodDisruptionBudgetKeepsOneReplicaWhenThereAreSeveral() {
    assertThat(Chart.render(Map.of()).all(PodDisruptionBudget.class)).as("one replica: nothing blocks a drain").isEmpty();
    PodDisruptionBudget pdb = Chart.render(Map.of("replicaCount", 2)).one(PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .containsEntry("app.kubernetes.io/name", "pi-operator").containsEntry("app.kubernetes.io/instance", Chart.RELEASE);
  }

  @Test
  void theInstallNotesWarnWhileTheImageIsTheUnpublishedDefault() {
    assertThat(notes(Map.of())).contains("WARNING: the image pi-operator:").contains("ImagePullBackOff")
        .contains("kind load image-archive");
    assertThat(notes(Map.of("image.repository", "registry.example.com/platform/pi-operator")))
        .contains("is installed in namespace").doesNotContain("WARNING");
  }

  @Test
  void fixedUserFalseLeavesTheUserIdToThePlatformAsOpenShiftsRestrictedSccRequires() {
    PodSpec fixed = Chart.render(Map.of()).one(Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(fixed.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    PodSpec pod = Chart.render(Map.of("fixedUser", false)).one(Deployment.class).getSpec().getTemplate().getSpec();
    assertThat(pod.getSecurityContext().getRunAsUser()).isNull();
    assertThat(pod.getSecurityContext().getRunAsGroup()).isNull();
    assertThat(pod.getSecurityContext().getFsGroup()).isNull();
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    SecurityContext container = pod.getContainers().get(0).getSecurityContext();
    assertThat(container.getRunAsUser()).isNull();
    assertThat(container.getRunAsGroup()).isNull();
    assertThat(container.getRunAsNonRoot()).isTrue();
    assertThat(container.getReadOnlyRootFilesystem()).isTrue();
    assertThat(Chart.lint(Map.of("fixedUser", false)).isFailed()).isFalse();
  }

  @Test
  void helmTestAsksTheOperatorsServiceForReadyz() throws IOException {
    Pod test = testPods(Map.of()).stream().filter(p -> p.getMetadata().getName().endsWith("-test-readyz"))
        .findFirst().orElseThrow();
    assertThat(test.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(test.getSpec().getContainers().get(0).getCommand())
        .contains("http://pi-operator.pi-system.svc:8080/readyz");
    assertThat(testPods(Map.of("helmTest", Map.of("enabled", false)))).isEmpty();
  }

  /**
   * The chart's test hooks as objects. helm template (helm-java) leaves hooks out, so they are rendered from a copy
   * of the chart whose hook annotations are removed.
   */
  private List<Pod> testPods(Map<String, Object> values) throws IOException {
    Path copy = Files.createTempDirectory(tmp, "pi-operator-chart").resolve("pi-operator");
    try (Stream<Path> files = Files.walk(Chart.dir())) {
      for (Path p : files.toList()) {
        Path to = copy.resolve(Chart.dir().relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else if (p.getParent().getFileName().toString().equals("tests")) {
          Files.writeString(to, Files.readString(p).replaceAll("(?m)^ *helm.sh/hook.*\\n", ""));
        } else {
          Files.copy(p, to);
        }
      }
    }
    Path valuesFile = Files.createTempFile(tmp, "values", ".yaml");
    Serialization.yamlMapper().writeValue(valuesFile.toFile(), values);
    String yaml = new Helm(copy).template().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
        .withKubeVersion(Chart.KUBE_VERSION).withValuesFile(valuesFile).call();
    return Chart.parse(yaml).stream().filter(Pod.class::isInstance).map(Pod.class::cast).toList();
  }

  private static String notes(Map<String, String> set) {
    var install = new Helm(Chart.dir()).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
        .withKubeVersion(Chart.KUBE_VERSION).clientOnly().dryRun();
    set.forEach(install::set);
    return install.call().getOutput();
  }
}
