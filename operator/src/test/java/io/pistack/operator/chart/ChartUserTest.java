package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
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

  private static String notes(Map<String, String> set) {
    var install = new Helm(Chart.dir()).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
        .withKubeVersion(Chart.KUBE_VERSION).clientOnly().dryRun();
    set.forEach(install::set);
    return install.call().getOutput();
  }
}
