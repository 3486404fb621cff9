package io.pistack.operator.dependent;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What {@link SecretWatch} maps a Secret event with, per stack: the Secrets its pods and checks reference and the
 * Secret names it generates. Both are functions of the PiStack object alone, so they are computed once per
 * resourceVersion of each stack (a new resourceVersion is a new object: recomputed) instead of once per Secret
 * event, which built every Deployment of every stack of the namespace. An object without a resourceVersion (a test
 * double) is never cached. Entries of stacks gone from the namespace are dropped as the namespace is mapped.
 */
final class SecretReferenceCache {
  /** One stack's references: the Secret names its pods and checks use, and the Secret names it generates. */
  record References(Set<String> names, List<String> generated) {}

  private record Entry(String uid, String resourceVersion, References references) {}

  private final Map<ResourceID, Entry> entries = new ConcurrentHashMap<>();
  private final Function<PiStack, References> compute;

  SecretReferenceCache(Function<PiStack, References> compute) {
    this.compute = compute;
  }

  References of(PiStack stack) {
    String uid = stack.getMetadata().getUid();
    String version = stack.getMetadata().getResourceVersion();
    if (version == null) {
      return compute.apply(stack);
    }
    ResourceID id = ResourceID.fromResource(stack);
    Entry e = entries.get(id);
    if (e == null || !version.equals(e.resourceVersion()) || !java.util.Objects.equals(uid, e.uid())) {
      e = new Entry(uid, version, compute.apply(stack));
      entries.put(id, e);
    }
    return e.references();
  }

  /** Forgets the stacks of {@code namespace} not in {@code present}. */
  void retainOnly(String namespace, Set<ResourceID> present) {
    entries.keySet().removeIf(id -> java.util.Objects.equals(id.getNamespace().orElse(null), namespace)
        && !present.contains(id));
  }

  int size() {
    return entries.size();
  }
}
