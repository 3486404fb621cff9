package io.pistack.operator.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/reference/pistack.md is the committed CRD written out as a reference (ApiReference). Regenerate it after
 * any change to the CRD: {@code mvn -B -q -pl operator test -Dtest=ApiReferenceTest -Dapi.reference.write=true}.
 */
class ApiReferenceTest {
  static final Path CRD = Stacks.repoRoot().resolve("crds/pistacks.pistack.io-v1.yml");
  static final Path REFERENCE = Stacks.repoRoot().resolve("docs/reference/pistack.md");

  @Test
  void thePiBackupReferenceIsTheCommittedPiBackupCrd() throws IOException {
    Path reference = Stacks.repoRoot().resolve("docs/reference/pibackup.md");
    String expected = ApiReference.markdown(Stacks.repoRoot().resolve("crds/pibackups.pistack.io-v1.yml"),
        io.pistack.operator.api.v1alpha1.PiBackupSpec.class, io.pistack.operator.api.v1alpha1.PiBackupStatus.class);
    if (Boolean.getBoolean("api.reference.write")) {
      Files.writeString(reference, expected);
      return;
    }
    assertThat(Files.readString(reference))
        .as("docs/reference/pibackup.md is stale: run this test with -Dapi.reference.write=true").isEqualTo(expected);
  }

  @Test
  void theCommittedReferenceIsTheCommittedCrd() throws IOException {
    String expected = ApiReference.markdown(CRD);
    if (Boolean.getBoolean("api.reference.write")) {
      Files.createDirectories(REFERENCE.getParent());
      Files.writeString(REFERENCE, expected);
      return;
    }
    assertThat(REFERENCE).as("docs/reference/pistack.md exists: run this test with -Dapi.reference.write=true")
        .exists();
    assertThat(Files.readString(REFERENCE))
        .as("docs/reference/pistack.md is stale: run this test with -Dapi.reference.write=true").isEqualTo(expected);
  }
}
