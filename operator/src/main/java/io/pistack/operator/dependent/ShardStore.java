package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.pistack.operator.model.Labels;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * An informer's item store that keeps only the children of this shard's PiStacks ({@link ShardScope}): a child of
 * another shard's stack (its {@code app.kubernetes.io/instance} label and namespace name a stack this operator's
 * PiStack informer does not hold) is kept as a <em>stub</em> (name, namespace, resourceVersion, labels and owner
 * references: what the informer needs to report its update and deletion), never as the object. So the memory of
 * a shard follows its share of the fleet while no label of the children says which shard they belong to (a stack
 * moves between shards by a label on the PiStack alone: nothing on its children, nothing in its pod templates).
 *
 * <p>The informer reads only real objects ({@link #get}, {@link #values}, {@link #keySet}); a stub turns real again
 * when its stack joins the shard, from the informer's next event or from {@link #fill} (a LIST of the joining
 * stack's children, {@link ShardScope#load}). Outside a sharded operator ({@link ShardScope#NONE}) it is the plain
 * transforming store ({@link SlimCache.Named}).
 */
public class ShardStore<R extends HasMetadata> extends SlimCache.Named<R> {
  private final ShardScope scope;
  private final Map<String, R> stubs = new ConcurrentHashMap<>();
  private volatile Class<?> type;

  public ShardStore(UnaryOperator<R> transform) {
    super(transform);
    this.scope = ShardScope.current();
    scope.register(this);
  }

  @Override
  public synchronized R put(String key, R obj) {
    type = obj.getClass();
    if (scope.admits(obj)) {
      R stub = stubs.remove(key);
      R old = super.put(key, obj);
      return old != null ? old : stub;
    }
    R real = super.remove(key);
    R stub = stubs.put(key, stub(obj));
    scope.dropped(obj);
    return real != null ? real : stub;
  }

  @Override
  public synchronized R remove(String key) {
    R real = super.remove(key);
    R stub = stubs.remove(key);
    return real != null ? real : stub;
  }

  /** The children this store holds as stubs for {@code stack} ("namespace/name"). */
  boolean holdsStubsOf(String stack) {
    return stubs.values().stream().anyMatch(s -> stack.equals(ShardScope.stackOf(s)));
  }

  /** The kind this store's informer watches, once it has seen one object (null before). */
  Class<?> type() {
    return type;
  }

  /** Makes real the stubs a LIST of a joining stack's children found; objects already real stay as they are. */
  synchronized int fill(List<? extends HasMetadata> listed) {
    int filled = 0;
    for (HasMetadata item : listed) {
      String key = getKey(cast(item));
      if (stubs.containsKey(key) && scope.admits(item)) {
        stubs.remove(key);
        super.put(key, cast(item));
        filled++;
      }
    }
    return filled;
  }

  /** A stack left the shard: its children become stubs (their informer still reports them, as for any stranger). */
  synchronized int evict(String stack) {
    List<R> leaving = values().filter(r -> stack.equals(ShardScope.stackOf(r))).toList();
    leaving.forEach(r -> {
      String key = getKey(r);
      super.remove(key);
      stubs.put(key, stub(r));
    });
    return leaving.size();
  }

  @SuppressWarnings("unchecked")
  private R cast(HasMetadata item) {
    return (R) item;
  }

  @SuppressWarnings("unchecked")
  private R stub(R obj) {
    try {
      R stub = (R) obj.getClass().getDeclaredConstructor().newInstance();
      ObjectMeta m = obj.getMetadata();
      ObjectMeta s = new ObjectMeta();
      s.setName(m.getName());
      s.setNamespace(m.getNamespace());
      s.setResourceVersion(m.getResourceVersion());
      String instance = m.getLabels() == null ? null : m.getLabels().get(Labels.INSTANCE);
      s.setLabels(instance == null ? null : Map.of(Labels.INSTANCE, instance.intern())); // compact leaves a Map.of as it is
      s.setOwnerReferences(m.getOwnerReferences());
      stub.setMetadata(s);
      return SlimCache.compact(stub); // strings shared with the other stubs and objects of the namespace
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("no stub for " + obj.getKind() + ": " + e, e);
    }
  }

  @Override
  public String toString() {
    return "ShardStore(" + Objects.toString(type) + ", " + size() + " kept, " + stubs.size() + " stubs)";
  }
}
