package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.pistack.operator.api.v1alpha1.LicenceSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;

/** PiStacks built in code for the builder unit tests. */
final class TestStacks {
  private TestStacks() {}

  static PiStack minimal() {
    PiStack s = new PiStack();
    s.setMetadata(new ObjectMetaBuilder().withName("acme").withNamespace("bi").withGeneration(1L).build());
    s.setSpec(new PiStackSpec());
    s.getSpec().version = "2025_10.1";
    s.getSpec().licence = new LicenceSpec();
    s.getSpec().licence.secretName = "pi-licence";
    return s;
  }

  static ResolvedStack resolved(PiStack s) {
    return new ResolvedStack(s);
  }
}
