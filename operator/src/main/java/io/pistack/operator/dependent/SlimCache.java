package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import io.pistack.operator.api.v1alpha1.PiStack;
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
 *   <li>Every kept object is then {@link Compact compacted} in place, its JSON unchanged: strings
 *       that all stacks repeat (names, labels, images, env values) interned, the empty {@code
 *       additionalProperties} that fabric8 gives every model object replaced by one immutable
 *       empty map, lists and maps trimmed to their size (about half of what remained per stack,
 *       docs/sizing.md "Memory").
 * </ul>
 *
 * Pods and the Secrets of the watched namespaces are slimmer still (PodEventSource, SecretWatch),
 * and compacted the same way ({@link #compact}). A cached object is read, never written: code that
 * needs a changed one edits a copy (a builder or a clone), whose maps are its own.
 */
public final class SlimCache {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  static final String USERNAME_KEY = "username";

  private SlimCache() {}

  /** The item store of the children's informers. */
  public static final class Children<R extends HasMetadata> extends ShardStore<R> {
    public Children() {
      super(SlimCache::child);
    }
  }

  /** The item store of the generated credentials' informer. */
  public static final class Credentials extends ShardStore<Secret> {
    public Credentials() {
      super(s -> {
        // The user name only: DatabaseUserMigration finds the stacks whose credentials still say root by it.
        // Dropped before the strings are interned: no password goes into the JVM's string table.
        String username = s.getData() == null ? null : s.getData().get(USERNAME_KEY);
        s.setData(username == null ? null : java.util.Map.of(USERNAME_KEY, username));
        s.setStringData(null);
        return child(s);
      });
    }
  }

  /** The item store of the PiStack informer. */
  public static final class Stacks extends Named<PiStack> {
    public Stacks() {
      super(SlimCache::stack);
    }
  }

  /**
   * A transforming item store whose objects hold their name, namespace and key as the one interned string each:
   * {@link TransformingItemStore#put} sets the name and namespace an object arrived with back after its
   * transform, so every object of a namespace would hold its own copy of the namespace's name.
   */
  public static class Named<R extends HasMetadata> extends TransformingItemStore<R> {
    public Named(java.util.function.UnaryOperator<R> transform) {
      super(transform);
    }

    /** The key ("namespace/name"), one string shared by the item map, fabric8's indexes and the other kinds' stores. */
    @Override
    public String getKey(R obj) {
      return super.getKey(obj).intern();
    }

    @Override
    public R put(String key, R obj) {
      return super.put(key, names(obj));
    }
  }

  /** A child as it is kept: only the operator's own apply entry of managedFields, its field set shared. */
  static <R extends HasMetadata> R child(R r) {
    ObjectMeta m = r.getMetadata();
    if (m != null && m.getManagedFields() != null) {
      List<ManagedFieldsEntry> own = m.getManagedFields().stream()
          .filter(e -> FieldManager.NAME.equals(e.getManager()) && "Apply".equals(e.getOperation()))
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
    return Compact.object(r);
  }

  /** The object's name and namespace interned, in place ({@link Named}). */
  static <R extends HasMetadata> R names(R r) {
    ObjectMeta m = r.getMetadata();
    if (m != null && m.getName() != null) {
      m.setName(m.getName().intern());
    }
    if (m != null && m.getNamespace() != null) {
      m.setNamespace(m.getNamespace().intern());
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
      Compact.object(m);
    }
    return s;
  }

  /**
   * A cached object made compact in place ({@link Compact}): repeated strings shared, empty
   * {@code additionalProperties} shared, lists and maps trimmed to their size. For the item
   * stores that build their own slim copies (pods, the watched Secrets).
   */
  public static <T> T compact(T object) {
    return Compact.object(object);
  }

  /**
   * The same object, smaller, equal to what it was (its JSON is unchanged), made so in place as it
   * enters a cache. Every stack's children repeat the same names, labels, images and env values,
   * and every fabric8 model object carries an {@code additionalProperties} map that is empty:
   * <ul>
   *   <li>strings are interned ({@link String#intern}: the JVM's table, whose entries go when no
   *       object uses them), except those no two objects share (the metadata's uid, resourceVersion,
   *       creationTimestamp; an owner reference's uid is shared by all the children of a stack);
   *   <li>an empty {@code additionalProperties} becomes the one immutable empty map. Nothing
   *       writes a cached object's additional properties: a copy (a builder, a clone, the JSON
   *       the matcher compares) gets a map of its own;
   *   <li>{@code ArrayList}s are trimmed to their size (their strings interned, in place), and
   *       non-empty {@code LinkedHashMap}s/{@code HashMap}s are copied, in the same order, with
   *       interned keys and values, into an {@link ArrayMap} (up to {@link ArrayMap#MAX} entries:
   *       a quarter of the memory) or a {@code LinkedHashMap} of their size; both stay mutable.
   *       Other maps and lists (immutable ones, the shared field sets) are left as they are,
   *       their model objects compacted.
   * </ul>
   * It walks the fabric8 model objects ({@code io.fabric8.kubernetes.api.model}) by their fields,
   * each class's fields looked up once; other objects are left alone.
   */
  static final class Compact {
    private static final String MODEL = "io.fabric8.kubernetes.api.model";
    private static final java.util.Set<String> UNIQUE = java.util.Set.of("uid", "resourceVersion", "creationTimestamp");
    private static final String ADDITIONAL = "additionalProperties";
    private static final ClassValue<java.lang.reflect.Field[]> FIELDS = new ClassValue<>() {
      @Override
      protected java.lang.reflect.Field[] computeValue(Class<?> c) {
        java.util.List<java.lang.reflect.Field> out = new java.util.ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
          for (java.lang.reflect.Field f : k.getDeclaredFields()) {
            Class<?> t = f.getType();
            boolean wanted = t == String.class ? k != ObjectMeta.class || !UNIQUE.contains(f.getName())
                : t == Object.class || Map.class.isAssignableFrom(t) || List.class.isAssignableFrom(t) || model(t);
            if (wanted && !java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
              f.setAccessible(true);
              out.add(f);
            }
          }
        }
        return out.toArray(java.lang.reflect.Field[]::new);
      }
    };

    private Compact() {}

    static boolean model(Class<?> c) {
      return c.getName().startsWith(MODEL);
    }

    /** Compacts a model object in place and returns it; anything else is returned as it is. */
    static <T> T object(T o) {
      if (o == null || !model(o.getClass())) {
        return o;
      }
      try {
        for (java.lang.reflect.Field f : FIELDS.get(o.getClass())) {
          Object v = f.get(o);
          if (v == null) {
            continue;
          }
          Object w = v instanceof Map<?, ?> m && m.isEmpty() && ADDITIONAL.equals(f.getName()) ? Map.of() : value(v);
          if (w != v) {
            f.set(o, w);
          }
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot compact a " + o.getClass().getSimpleName(), e);
      }
      return o;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object value(Object v) {
      if (v instanceof String s) {
        return s.intern();
      }
      if (v instanceof java.util.ArrayList list) {
        list.replaceAll(Compact::value);
        list.trimToSize();
        return list;
      }
      if (v instanceof List<?> list) {
        list.forEach(Compact::object);
        return list;
      }
      if (v instanceof Map<?, ?> m && !m.isEmpty() && (m.getClass() == LinkedHashMap.class || m.getClass() == java.util.HashMap.class)) {
        Map copy = new LinkedHashMap<>((int) (m.size() / 0.75f) + 1);
        m.forEach((k, x) -> copy.put(value(k), value(x)));
        return copy.size() <= ArrayMap.MAX ? new ArrayMap<>(copy) : copy;
      }
      if (v instanceof Map<?, ?> m) {
        m.forEach((k, x) -> object(x)); // not values(): a view the map would keep
        return m;
      }
      return object(v);
    }
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
