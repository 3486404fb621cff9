package io.pistack.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class UnservedStacksTest {
  static final Instant NOW = Instant.parse("2026-12-07T04:00:00Z");

  @Test
  void aStackWithNoStatusPastTheGraceIsServedByNoShard() {
    PiStack old = stack("old", "2026-12-07T03:50:00Z", false);
    PiStack young = stack("young", "2026-12-07T03:58:00Z", false);
    PiStack served = stack("served", "2026-12-07T03:00:00Z", true);
    assertThat(UnservedStacks.unserved(Stream.of(old, young, served), NOW)).containsExactly("ns/old");
  }

  private static PiStack stack(String name, String created, boolean status) {
    PiStack s = new PiStack();
    s.getMetadata().setName(name);
    s.getMetadata().setNamespace("ns");
    s.getMetadata().setCreationTimestamp(created);
    if (status) {
      s.setStatus(new PiStackStatus());
    }
    return s;
  }
}
