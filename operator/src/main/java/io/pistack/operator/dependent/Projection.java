package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A dependent's desired objects, looked up in the reconcile's {@link io.pistack.operator.desired.DesiredStack}. */
final class Projection {
  private Projection() {}

  /** A bulk dependent's desired objects, by id, in apply order. */
  static <R extends HasMetadata> Map<ResourceID, R> byId(List<R> objects) {
    Map<ResourceID, R> desired = new LinkedHashMap<>();
    objects.forEach(o -> desired.put(ResourceID.fromResource(o), o));
    return desired;
  }

  /** The one object of that kind and name; the dependent is reached only while the stack wants it. */
  static <R extends HasMetadata> R one(Pass pass, Class<R> kind, String name) {
    return pass.desired().named(kind, name).orElseThrow(() -> new IllegalStateException(
        kind.getSimpleName() + " " + name + " is not in the desired stack"));
  }
}
