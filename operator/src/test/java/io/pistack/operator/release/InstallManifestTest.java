package io.pistack.operator.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.pistack.operator.chart.Chart;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The release's single-file install manifest holds everything the operator needs, the CRD first. */
class InstallManifestTest {

  @Test
  void theManifestHoldsTheCrdTheNamespaceRbacAndTheDeployment() throws IOException {
    List<HasMetadata> objects = Chart.parse(ReleaseBundle.installManifest(Chart.dir()));
    List<String> kinds = objects.stream().map(HasMetadata::getKind).toList();
    assertThat(kinds).contains("CustomResourceDefinition", "Namespace", "ServiceAccount", "ClusterRole",
        "ClusterRoleBinding", "Deployment");
    assertThat(kinds.indexOf("CustomResourceDefinition")).isLessThan(kinds.indexOf("Deployment"));
    assertThat(kinds.indexOf("Namespace")).isLessThan(kinds.indexOf("Deployment"));
    assertThat(kinds).as("the chart's admission policy (docs/api-versioning.md)")
        .contains("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
    assertThat(objects).filteredOn(o -> !o.getKind().startsWith("Cluster") && !o.getKind().equals("Namespace")
            && !o.getKind().equals("CustomResourceDefinition") && !o.getKind().startsWith("ValidatingAdmissionPolicy"))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo("pi-system"));
  }
}
