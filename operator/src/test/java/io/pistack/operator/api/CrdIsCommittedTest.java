package io.pistack.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;

/**
 * The CRD under crds/ is generated from the Java API at build time; the build fails when the
 * committed copy is stale. Refresh it with: mvn -pl operator test -Dtest=CrdIsCommittedTest -Dcrd.refresh=true
 */
class CrdIsCommittedTest {
  static final String FILE = "pistacks.pistack.io-v1.yml";

  @Test
  void committedCrdMatchesTheGeneratedOne() throws IOException {
    Path generated = Path.of("target/classes/META-INF/fabric8").resolve(FILE);
    Path committed = Stacks.repoRoot().resolve("crds").resolve(FILE);
    assertThat(generated).as("the crd-generator plugin output").exists();
    if (Boolean.getBoolean("crd.refresh")) {
      Files.copy(generated, committed, StandardCopyOption.REPLACE_EXISTING);
    }
    assertThat(committed).as("crds/" + FILE + " is missing").exists();
    assertThat(Files.readString(committed))
        .as("crds/%s is stale: the Java API changed. Refresh it with\n"
            + "  mvn -pl operator test -Dtest=CrdIsCommittedTest -Dcrd.refresh=true\nand commit crds/.", FILE)
        .isEqualTo(Files.readString(generated));
  }
}
