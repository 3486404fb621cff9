package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes versions the project claims agree: the chart's kubeVersion, docs/install.md's
 * requirements and compatibility table, Getting started's prerequisites, and the version the real API server
 * tier is built at (realapi/go.mod), which the table must name as the tested one.
 */
class KubernetesVersionsAgreeTest {
  @Test
  void theChartTheDocsAndTheTestedVersionAgree() throws IOException {
    Path root = Stacks.repoRoot();
    Matcher chart = Pattern.compile("(?m)^kubeVersion: \">=1\\.(\\d+)\\.0-0\"$")
        .matcher(Files.readString(root.resolve("helm/pi-operator/Chart.yaml")));
    assertThat(chart.find()).as("Chart.yaml kubeVersion \">=1.N.0-0\"").isTrue();
    String minimum = "1." + chart.group(1);

    String install = Files.readString(root.resolve("docs/install.md"));
    assertThat(install).contains("- Kubernetes **" + minimum + " or newer** (the chart's `kubeVersion`)")
        .contains("| Kubernetes | **" + minimum + " and newer** |");
    assertThat(Files.readString(root.resolve("docs/getting-started.md"))).contains("Kubernetes cluster, **" + minimum
        + " or newer**");

    Matcher built = Pattern.compile("k8s\\.io/kubernetes v1\\.(\\d+)\\.\\d+")
        .matcher(Files.readString(root.resolve("realapi/go.mod")));
    assertThat(built.find()).isTrue();
    String tested = "1." + built.group(1);
    assertThat(install).as("the compatibility table names the version realapi/ builds as tested")
        .containsPattern("\\| Kubernetes \\| \\*\\*" + Pattern.quote(minimum) + " and newer\\*\\* \\| \\*\\*"
            + Pattern.quote(tested) + "\\*\\* ");
    assertThat(Integer.parseInt(chart.group(1))).as("the tested version is a supported one")
        .isLessThanOrEqualTo(Integer.parseInt(built.group(1)));
  }
}
