package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.LicenceSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;

/** PiStacks built in code (or written as a user would write them) for the builder unit tests. */
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

  /** A PiStack "pi" in namespace "ns" whose spec is {@code specYaml} (indented by two spaces). */
  static PiStack of(String specYaml) {
    String yaml = "apiVersion: pistack.io/v1alpha1\nkind: PiStack\nmetadata:\n  name: pi\n  namespace: ns\n"
        + "  uid: 11111111-2222-3333-4444-555555555555\nspec:\n" + specYaml;
    return Serialization.unmarshal(yaml, PiStack.class);
  }

  static ResolvedStack resolved(String specYaml) {
    return new ResolvedStack(of(specYaml));
  }
}
