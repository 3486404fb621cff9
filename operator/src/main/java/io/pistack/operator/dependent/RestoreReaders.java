package io.pistack.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import java.util.HashSet;
import java.util.Set;

/**
 * The stacks a PiBackup's change concerns: its own stack (its backup Jobs are the stack's backups), and every stack
 * whose spec.restore chooses among the PiBackups of its namespace (piBackup, before), so that a PiBackup completing
 * starts a restore that waited for it at once.
 */
final class RestoreReaders {
  private RestoreReaders() {}

  static Set<ResourceID> of(PiBackup b, IndexedResourceCache<PiStack> stacks) {
    Set<ResourceID> ids = new HashSet<>();
    String ns = b.getMetadata().getNamespace();
    if (b.getSpec() != null && b.getSpec().stack != null) {
      ids.add(new ResourceID(b.getSpec().stack, ns));
    }
    if (stacks != null) {
      stacks.list(s -> reads(s, ns)).forEach(s -> ids.add(ResourceID.fromResource(s)));
    }
    return ids;
  }

  static boolean reads(PiStack s, String backupNamespace) {
    RestoreSpec r = s.getSpec() == null ? null : s.getSpec().restore;
    if (r == null || (r.piBackup == null && r.before == null)) {
      return false;
    }
    String from = r.source != null && r.source.namespace != null ? r.source.namespace : s.getMetadata().getNamespace();
    return from.equals(backupNamespace);
  }
}
