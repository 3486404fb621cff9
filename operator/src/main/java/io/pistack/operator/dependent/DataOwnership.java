package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.StorageSettings;

/**
 * Data (the shared PVC, the generated credentials) carries no owner reference, so deleting the
 * PiStack leaves it, unless the user opted in with storage.deleteWithStack: then an owner
 * reference lets the garbage collector delete it with the stack.
 */
final class DataOwnership {
  private DataOwnership() {}

  static void apply(HasMetadata desired, PiStack primary) {
    // Called by JOSDK without the reconcile's context: reads the one setting straight from the spec.
    if (StorageSettings.deleteDataWithStack(primary.getSpec())) {
      desired.addOwnerReference(primary);
    }
  }
}
