package io.pistack.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every child the operator wants for one stack in one reconcile, in apply order: the desired stage of the reconcile
 * (docs/architecture.md), a pure function of the resolved stack and what was observed ({@link DesiredStacks#of}).
 * Each JOSDK dependent is a lookup in it; `render` prints the one a fresh stack gets. What it hands out is a copy,
 * so JOSDK may add its metadata to it (as it does to every desired object) without changing this value.
 *
 * <p>Generated Secrets are held by shape ({@link GeneratedSecret}); the database's data claim is not created by the
 * operator (the StatefulSet controller makes it from the claim template) and is only grown: it is held apart
 * ({@link #databaseClaim}).
 */
public final class DesiredStack {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final List<HasMetadata> objects;
  private final Map<String, GeneratedSecret> generated;
  private final Optional<PersistentVolumeClaim> databaseClaim;
  private final List<HasMetadata> later;

  DesiredStack(List<HasMetadata> objects, List<GeneratedSecret> generated,
      Optional<PersistentVolumeClaim> databaseClaim, List<HasMetadata> later) {
    this.objects = List.copyOf(objects);
    this.later = List.copyOf(later);
    Map<String, GeneratedSecret> byName = new LinkedHashMap<>();
    generated.forEach(g -> byName.put(g.name(), g));
    this.generated = Map.copyOf(byName);
    this.databaseClaim = databaseClaim;
  }

  /** Every object the operator creates, in apply order; a generated Secret with its placeholder value. */
  public List<HasMetadata> objects() {
    return objects.stream().map(DesiredStack::copy).toList();
  }

  /** The objects of one kind, in apply order. */
  public <T extends HasMetadata> List<T> all(Class<T> kind) {
    List<T> found = new ArrayList<>();
    objects.stream().filter(kind::isInstance).map(kind::cast).map(DesiredStack::copy).forEach(found::add);
    return found;
  }

  /** The object of that kind and name, when the stack wants it. */
  public <T extends HasMetadata> Optional<T> named(Class<T> kind, String name) {
    return objects.stream().filter(kind::isInstance).map(kind::cast)
        .filter(o -> name.equals(o.getMetadata().getName())).findFirst().map(DesiredStack::copy);
  }

  /** The generated Secret of that name, when the stack wants it. */
  public Optional<GeneratedSecret> generated(String name) {
    return Optional.ofNullable(generated.get(name));
  }

  /**
   * The embedded database's data claim at the size the spec asks (only a grow is ever written); empty without an
   * embedded database.
   */
  public Optional<PersistentVolumeClaim> databaseClaim() {
    return databaseClaim.map(DesiredStack::copy);
  }

  /**
   * Objects the plan creates later, not in this pass: a pending restore's Job, once the database is ready and its
   * users are stopped. `render` names them; the operator applies them when they move into {@link #objects}.
   */
  public List<HasMetadata> later() {
    return later.stream().map(DesiredStack::copy).toList();
  }

  private static <T> T copy(T o) {
    return JSON.clone(o);
  }
}
