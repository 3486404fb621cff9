package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The chart ships the CRD the build generates, byte for byte (and the committed crds/ copy, where
 * the repository has one). After an API change: copy
 * operator/target/classes/META-INF/fabric8/pistacks.pistack.io-v1.yml to helm/pi-operator/crds/.
 */
class CrdSyncTest {
  static final String FILE = "pistacks.pistack.io-v1.yml";

  @Test
  void chartCrdIsTheGeneratedCrd() throws Exception {
    Path root = Stacks.repoRoot();
    Path generated = root.resolve("operator/target/classes/META-INF/fabric8").resolve(FILE);
    Path chart = Chart.dir().resolve("crds").resolve(FILE);
    assertThat(generated).as("the build generates the CRD (process-classes)").exists();
    assertThat(Files.readString(chart)).as(chart + " is stale: copy " + generated + " over it")
        .isEqualTo(Files.readString(generated));
    Path committed = root.resolve("crds").resolve(FILE);
    if (Files.exists(committed)) {
      assertThat(Files.readString(chart)).as(chart + " differs from " + committed)
          .isEqualTo(Files.readString(committed));
    }
  }
}
