package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The chart's NOTES and docs/install.md give the same command to upgrade the CRD before a chart upgrade. */
class CrdUpgradeCommandAgreesTest {
  static final String COMMAND =
      "kubectl apply --server-side --force-conflicts -f helm/pi-operator/crds/";

  @Test
  void notesAndInstallGuideGiveOneCommand() throws IOException {
    Path root = Stacks.repoRoot();
    String install = Files.readString(root.resolve("docs/install.md"));
    String upgrading = install.substring(install.indexOf("## Upgrading (and the CRD)"));
    assertThat(upgrading).contains("\n" + COMMAND + "\n");
    assertThat(Files.readString(root.resolve("helm/pi-operator/templates/NOTES.txt"))).contains("  " + COMMAND + "\n");
    assertThat(Files.exists(root.resolve("helm/pi-operator/crds/pistacks.pistack.io-v1.yml"))).isTrue();
  }
}
