package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The chart ships the committed crds/ copy byte for byte; CrdIsCommittedTest keeps crds/ equal to
 * what the build generates. After an API change, refresh both with:
 * mvn -pl operator test -Dtest=CrdIsCommittedTest -Dcrd.refresh=true
 */
class CrdSyncTest {
  static final String FILE = "pistacks.pistack.io-v1.yml";

  @Test
  void chartCrdIsTheGeneratedCrd() throws Exception {
    for (String file : java.util.List.of(FILE, "pibackups.pistack.io-v1.yml")) {
      chartCrdIsTheGeneratedCrd(file);
    }
  }

  private void chartCrdIsTheGeneratedCrd(String FILE) throws Exception {
    Path root = Stacks.repoRoot();
    Path chart = Chart.dir().resolve("crds").resolve(FILE);
    Path committed = root.resolve("crds").resolve(FILE);
    assertThat(Files.readString(chart)).as(chart + " differs from " + committed
            + ": mvn -pl operator test -Dtest=CrdIsCommittedTest -Dcrd.refresh=true")
        .isEqualTo(Files.readString(committed));
  }
}
