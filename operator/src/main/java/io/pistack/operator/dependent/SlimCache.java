package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.reconciler.PiStackReconciler;
import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the informers keep of each object: the operator's caches hold every stack's children, so
 * what nobody reads is dropped as an object arrives (issue 14: the heap per stack). Used as the
 * informers' item stores ({@code @Informer(itemStore = ...)}).
 *
 * <ul>
 *   <li>Children ({@link Children}): of {@code metadata.managedFields}, only the operator's own
 *       server-side-apply entry is kept. It is what JOSDK's matcher (and {@link ServedFormMatcher})
 *       prunes the live object with, and what {@link ReplicasHandover} reads; the controllers'
 *       entries (status updates) and anyone else's are read by nobody here. The entry's field set
 *       is shared: children of the same shape (the dashboard Deployments of all stacks) hold one
 *       copy of each identical subtree, read-only.
 *   <li>The generated credentials, root and backup user Secrets ({@link Credentials}): created once and never
 *       compared, so of their data only the user name is kept (no password).
 *   <li>PiStacks ({@link Stacks}): no managedFields at all (the status is written by server-side
 *       apply from a fresh object) and no {@code kubectl.kubernetes.io/last-applied-configuration}
 *       annotation (a second copy of the spec that client-side {@code kubectl apply} leaves).
 * </ul>
 *
 * Pods and the Secrets of the watched namespaces are slimmer still (PodEventSource, SecretWatch).
 */
public final class SlimCache {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  static final String USERNAME_KEY = "username";

  private SlimCache() {}

  /** The item store of the children's informers. */
  public static final class Children<R extends HasMetadata> extends TransformingItemStore<R> {
    public Children() {
      super(SlimCache::child);
    }
  }

  /** The item store of the generated credentials' informer. */
  public static final class Credentials extends TransformingItemStore<Secret> {
    public Credentials() {
      super(s -> {
        child(s);
        // The user name only: DatabaseUserMigration finds the stacks whose credentials still say root by it.
        String username = s.getData() == null ? null : s.getData().get(USERNAME_KEY);
        s.setData(username == null ? null : java.util.Map.of(USERNAME_KEY, username));
        s.setStringData(null);
        return s;
      });
    }
  }

  /** The item store of the PiStack informer. */
  public static final class Stacks extends TransformingItemStore<PiStack> {
    public Stacks() {
      super(SlimCache::stack);
    }
  }

  /** A child as it is kept: only the operator's own apply entry of managedFields, its field set shared. */
  static <R extends HasMetadata> R child(R r) {
    ObjectMeta m = r.getMetadata();
    if (m != null && m.getManagedFields() != null) {
      List<ManagedFieldsEntry> own = m.getManagedFields().stream()
          .filter(e -> PiStackReconciler.NAME.equals(e.getManager()) && "Apply".equals(e.getOperation()))
          .toList();
      own.forEach(e -> {
        if (e.getFieldsV1() != null) {
          FieldsV1 shared = new FieldsV1();
          shared.setAdditionalProperties(FieldSets.canonical(e.getFieldsV1().getAdditionalProperties()));
          e.setFieldsV1(shared);
        }
      });
      m.setManagedFields(new java.util.ArrayList<>(own));
    }
    return r;
  }

  static PiStack stack(PiStack s) {
    ObjectMeta m = s.getMetadata();
    if (m != null) {
      m.setManagedFields(new java.util.ArrayList<>(0));
      if (m.getAnnotations() != null && m.getAnnotations().containsKey(LAST_APPLIED)) {
        Map<String, String> annotations = new LinkedHashMap<>(m.getAnnotations());
        annotations.remove(LAST_APPLIED);
        m.setAnnotations(annotations);
      }
    }
    return s;
  }

  /**
   * One read-only copy of each distinct field set (sub)tree, held as long as a cached object uses
   * it: a tree and its subtrees are looked up by value and the copy already kept is returned.
   */
  static final class FieldSets {
    private static final Map<Map<String, Object>, WeakReference<Map<String, Object>>> KEPT = new WeakHashMap<>();

    private FieldSets() {}

    @SuppressWarnings("unchecked")
    static synchronized Map<String, Object> canonical(Map<String, Object> tree) {
      Map<String, Object> copy = new LinkedHashMap<>(Math.max(2, tree.size() * 4 / 3 + 1));
      tree.forEach((k, v) -> copy.put(k.intern(), v instanceof Map<?, ?> sub ? canonical((Map<String, Object>) sub) : v));
      Map<String, Object> frozen = Collections.unmodifiableMap(copy);
      WeakReference<Map<String, Object>> kept = KEPT.get(frozen);
      Map<String, Object> found = kept == null ? null : kept.get();
      if (found != null) {
        return found;
      }
      KEPT.put(frozen, new WeakReference<>(frozen));
      return frozen;
    }

    /** Distinct trees kept (for tests). */
    static synchronized int size() {
      return KEPT.size();
    }
  }
}
