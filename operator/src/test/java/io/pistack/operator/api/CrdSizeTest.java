package io.pistack.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pistack.operator.it.Stacks;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * `kubectl apply -f crds/...` (client-side) stores the whole CRD, as JSON, in the
 * last-applied-configuration annotation, and all annotations together may not exceed 256 KiB. Every
 * typed Kubernetes object in the API (a Container schema is tens of KiB) repeats once per component:
 * keep the CRD well below the limit (initContainers, sidecars and extraVolumes are schemaless for
 * that reason).
 */
class CrdSizeTest {
  static final int ANNOTATIONS_LIMIT = 256 * 1024;

  @Test
  void theCrdFitsInTheLastAppliedAnnotationWithRoomToGrow() throws Exception {
    Object crd = new ObjectMapper(new YAMLFactory())
        .readValue(Files.readString(Stacks.repoRoot().resolve("crds/pistacks.pistack.io-v1.yml")), Object.class);
    int compactJson = new ObjectMapper().writeValueAsBytes(crd).length;
    System.out.printf("The PiStack CRD as compact JSON: %d bytes of %d (%d to spare)%n", compactJson,
        ANNOTATIONS_LIMIT / 2, ANNOTATIONS_LIMIT / 2 - compactJson);
    assertThat(compactJson).as("the CRD as compact JSON, bytes").isLessThan(ANNOTATIONS_LIMIT / 2);
  }
}
