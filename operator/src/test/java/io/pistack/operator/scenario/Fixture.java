package io.pistack.operator.scenario;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.util.List;
import java.util.function.Consumer;

/**
 * A test stack, built once and shared ({@link Fixtures}): the PiStack and the objects that must
 * exist before it (beyond the licence Secret every tier creates). Every use gets its own copy, so a
 * test may change what it is given.
 */
public final class Fixture {
  private final String description;
  private final PiStack prototype;
  private final List<HasMetadata> prerequisites;

  Fixture(String description, PiStack prototype, List<HasMetadata> prerequisites) {
    this.description = description;
    this.prototype = prototype;
    this.prerequisites = List.copyOf(prerequisites);
  }

  /** A copy of the stack, in {@code namespace}. */
  public PiStack stack(String namespace) {
    PiStack s = Serialization.clone(prototype);
    s.getMetadata().setNamespace(namespace);
    return s;
  }

  /** Copies of the objects to create first, in {@code namespace}. */
  public List<HasMetadata> prerequisites(String namespace) {
    return prerequisites.stream().map(o -> {
      HasMetadata c = Serialization.clone(o);
      c.getMetadata().setNamespace(namespace);
      return c;
    }).toList();
  }

  /** This fixture with a change to its stack (a new fixture; this one is unchanged). */
  public Fixture with(String what, Consumer<PiStack> change) {
    PiStack s = Serialization.clone(prototype);
    change.accept(s);
    return new Fixture(description + ", " + what, s, prerequisites);
  }

  public String name() {
    return prototype.getMetadata().getName();
  }

  @Override
  public String toString() {
    return description;
  }
}
