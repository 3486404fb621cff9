package io.pistack.operator.release;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's version (pom), the chart's version and its appVersion are one number (docs/release.md). */
class ReleaseVersionsTest {

  @Test
  void chartVersionAppVersionAndThePomsVersionAreInStep() {
    Versions v = Versions.ofRepo();
    assertThat(v.release()).as("pom version %s", v.pom()).matches(Versions.SEMVER);
    assertThat(v.chart()).as("helm/pi-operator/Chart.yaml version").isEqualTo(v.release());
    assertThat(v.appVersion()).as("helm/pi-operator/Chart.yaml appVersion").isEqualTo(v.release());
  }

  @Test
  void theArtifactHubImageAnnotationNamesTheReleasesImage() throws IOException {
    String chart = Files.readString(Stacks.repoRoot().resolve("helm/pi-operator/Chart.yaml"));
    assertThat(chart).contains("image: pi-operator:" + Versions.ofRepo().release() + "\n");
  }

  @Test
  void theOperatorModuleInheritsTheParentsVersion() throws IOException {
    String operatorPom = Files.readString(Stacks.repoRoot().resolve("operator/pom.xml"));
    assertThat(operatorPom).as("operator/pom.xml names its parent's version")
        .contains("<version>" + Versions.ofRepo().pom() + "</version>");
  }

  @Test
  void theChangelogHasASectionForTheVersion() throws IOException {
    String changelog = Files.readString(Stacks.repoRoot().resolve("CHANGELOG.md"));
    assertThat(changelog).contains("## [" + Versions.ofRepo().release() + "]").contains("## [Unreleased]");
  }

  @Test
  void aChartOneReleaseAheadOrBehindIsCaught(@TempDir Path repo) throws IOException {
    Files.createDirectories(repo.resolve("helm/pi-operator"));
    Files.writeString(repo.resolve("pom.xml"), "<project>\n  <version>0.2.0-SNAPSHOT</version>\n</project>\n");
    Files.writeString(repo.resolve("helm/pi-operator/Chart.yaml"), "version: 0.1.0\nappVersion: \"0.2.0\"\n");
    Versions v = Versions.read(repo);
    assertThat(v.release()).isEqualTo("0.2.0");
    assertThat(v.chart()).isNotEqualTo(v.release());
    assertThat(v.appVersion()).isEqualTo(v.release());
  }
}
