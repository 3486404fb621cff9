package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The children a shard keeps (docs/sizing.md): those of the PiStacks its own PiStack informer holds, i.e. the stacks
 * its stack selector matches, found by the children's {@code app.kubernetes.io/instance} label and namespace. The
 * informers' {@link ShardStore}s ask it about every object they receive; the children of other stacks stay stubs.
 *
 * <p>A stack that joins the shard while it runs (a PiStack relabelled onto it) has children the stores dropped as
 * strangers: its first reconcile here {@link #load loads} them with one LIST per kind the stores dropped for it,
 * before anything is compared or applied, so a move between shards writes nothing to the children. A stack that
 * leaves has its children {@link #forget evicted} back to stubs. The stores take the scope {@link #activate
 * activated} on the thread that registers the operator's controllers, while JOSDK builds them.
 */
@ApiAccess.PassesClient("lists, by instance label, only the kinds its stores' informers list and watch: the"
    + " permission those informers already need (RequiredPermissions derives it from them)")
public final class ShardScope {
  private static final Logger LOG = LoggerFactory.getLogger(ShardScope.class);
  /** No shard: every store keeps every object, nothing is loaded or evicted. */
  public static final ShardScope NONE = new ShardScope(false);
  /** The scope of the operator being wired on this thread (JOSDK builds the stores while it registers). */
  private static final ThreadLocal<ShardScope> CURRENT = ThreadLocal.withInitial(() -> NONE);

  private final boolean active;
  private final List<WeakReference<ShardStore<?>>> stores = new CopyOnWriteArrayList<>();
  /** Stacks ("namespace/name") whose children a store holds as stubs. */
  private final Set<String> dropped = ConcurrentHashMap.newKeySet();
  private volatile Predicate<ResourceID> members = id -> true;
  /** The namespaces served, when a namespace selector chooses them (JOSDK then watches every namespace). */
  private volatile Predicate<String> namespaces = ns -> true;
  private volatile java.util.function.IntSupplier size = () -> 0;
  private volatile IndexerResourceCache<PiStack> primaries;
  private final List<Trigger> triggers = new CopyOnWriteArrayList<>();

  private ShardScope(boolean active) {
    this.active = active;
  }

  /** A new scope, the one stores built from now on belong to (until {@link #release}). */
  public static ShardScope activate() {
    ShardScope s = new ShardScope(true);
    CURRENT.set(s);
    return s;
  }

  /** Stores built from now on are unsharded again (the sharded operator's controllers are registered). */
  public static void release() {
    CURRENT.remove();
  }

  static ShardScope current() {
    return CURRENT.get();
  }

  /** The scope of the stores being built: the reconciler binds it to its PiStack cache. */
  public static ShardScope bind(EventSourceContext<PiStack> context) {
    ShardScope s = CURRENT.get();
    if (s.active) {
      IndexerResourceCache<PiStack> cache = context.getPrimaryCache();
      s.primaries = cache;
      s.members = id -> cache.get(id).isPresent();
      s.size = () -> (int) cache.list().filter(p -> s.namespaces.test(p.getMetadata().getNamespace())).count();
    }
    return s;
  }

  /** Whether this stack is one of the shard's (always, outside a shard). */
  public boolean member(ResourceID stack) {
    return !active || stack.getNamespace().map(namespaces::test).orElse(true) && members.test(stack);
  }

  /** Whether the shard serves this namespace now (always, without a namespace selector). */
  public boolean serves(String namespace) {
    return namespaces.test(namespace);
  }

  /**
   * The namespaces a namespace selector chose changed: the stacks of a namespace that left are forgotten (their
   * children become stubs), those of a namespace that joined are reconciled (their children loaded first, {@link
   * #load}).
   */
  public void namespaces(Set<String> now, Set<String> before) {
    namespaces = now::contains;
    IndexerResourceCache<PiStack> cache = primaries;
    if (cache == null) {
      return;
    }
    cache.list().forEach(stack -> {
      String ns = stack.getMetadata().getNamespace();
      if (before.contains(ns) && !now.contains(ns)) {
        forget(ResourceID.fromResource(stack));
      } else if (now.contains(ns) && !before.contains(ns)) {
        triggers.forEach(t -> t.fire(stack));
      }
    });
  }

  /** The event source through which a namespace that joins has its stacks reconciled. */
  public Trigger trigger() {
    Trigger t = new Trigger();
    if (active) {
      triggers.add(t);
    }
    return t;
  }

  /** Reconciles a stack on demand (no secondary resources). */
  public static final class Trigger
      extends io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource<Void, PiStack> {
    Trigger() {
      super(Void.class, "shard-namespaces");
    }

    /**
     * As a change of the PiStack: a plain event is dropped for a stack JOSDK holds no state for, which is the case
     * of every stack whose own events the namespace filter kept out.
     */
    void fire(PiStack stack) {
      if (getEventHandler() != null) {
        getEventHandler().handleEvent(new io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent(
            io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction.UPDATED,
            ResourceID.fromResource(stack), stack));
      }
    }

    @Override
    public Set<Void> getSecondaryResources(PiStack primary) {
      return Set.of();
    }
  }

  /** The PiStacks of the shard now. */
  public int size() {
    return size.getAsInt();
  }

  /** The stacks of the shard, as a test gives them (the operator binds its PiStack cache instead). */
  void members(Predicate<ResourceID> stacks) {
    members = stacks;
  }

  void register(ShardStore<?> store) {
    if (active) {
      stores.add(new WeakReference<>(store));
    }
  }

  /** Whether a store keeps this object: not a child of a stack (no instance label), or a child of one of ours. */
  boolean admits(HasMetadata obj) {
    if (!active) {
      return true;
    }
    String instance = obj.getMetadata().getLabels() == null ? null : obj.getMetadata().getLabels().get(Labels.INSTANCE);
    return instance == null || member(new ResourceID(instance, obj.getMetadata().getNamespace()));
  }

  void dropped(HasMetadata child) {
    String stack = stackOf(child);
    if (stack != null) {
      dropped.add(stack);
    }
  }

  static String stackOf(HasMetadata child) {
    String instance = child.getMetadata().getLabels() == null ? null : child.getMetadata().getLabels().get(Labels.INSTANCE);
    return instance == null ? null : child.getMetadata().getNamespace() + "/" + instance;
  }

  /**
   * Before a reconcile: whether the shard serves the stack (not when its namespace left the shard: an event of its
   * children can still reach it); a stack whose children a store dropped while it belonged elsewhere gets them
   * loaded first (one LIST per kind, by its instance label). No request for a stack the shard always had.
   */
  public boolean load(PiStack stack, KubernetesClient client) {
    String key = stack.getMetadata().getNamespace() + "/" + stack.getMetadata().getName();
    if (!active || !dropped.contains(key)) {
      return member(ResourceID.fromResource(stack));
    }
    if (!member(ResourceID.fromResource(stack))) {
      return false;
    }
    int loaded = 0;
    for (ShardStore<?> store : live()) {
      if (store.type() != null && store.holdsStubsOf(key)) {
        @SuppressWarnings("unchecked")
        Class<? extends HasMetadata> type = (Class<? extends HasMetadata>) store.type();
        loaded += store.fill(client.resources(type).inNamespace(stack.getMetadata().getNamespace())
            .withLabel(Labels.MANAGED_BY, Labels.OPERATOR).withLabel(Labels.INSTANCE, stack.getMetadata().getName())
            .list().getItems());
      }
    }
    dropped.remove(key);
    LOG.info("PiStack {} joined this shard: {} of its objects loaded from the API server", key, loaded);
    return true;
  }

  /** A stack left the shard (or was deleted): its children become stubs. */
  public void forget(ResourceID stack) {
    if (!active) {
      return;
    }
    String key = stack.getNamespace().orElse("") + "/" + stack.getName();
    int evicted = 0;
    for (ShardStore<?> store : live()) {
      evicted += store.evict(key);
    }
    if (evicted > 0) {
      dropped.add(key);
      LOG.info("PiStack {} left this shard (relabelled or deleted): {} of its objects no longer kept", key, evicted);
    }
  }

  private List<ShardStore<?>> live() {
    stores.removeIf(r -> r.get() == null);
    return stores.stream().map(WeakReference::get).filter(java.util.Objects::nonNull)
        .<ShardStore<?>>map(s -> s).toList();
  }
}
