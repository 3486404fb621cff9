package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

/** Name, namespace and labels of a child object. Owner references are added by the dependents. */
final class ChildMetadata {
  private ChildMetadata() {}

  static ObjectMeta of(ResolvedStack stack, String name, String part) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(stack.namespace())
        .withLabels(Labels.of(stack, part))
        .build();
  }
}
