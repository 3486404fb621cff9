package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a chart user expects beyond the operator's own settings: a PodDisruptionBudget, install notes. */
class ChartUserTest {

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

  private static String notes(Map<String, String> set) {
    var install = new Helm(Chart.dir()).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
        .withKubeVersion(Chart.KUBE_VERSION).clientOnly().dryRun();
    set.forEach(install::set);
    return install.call().getOutput();
  }
}
