package io.pistack.operator.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.pistack.operator.access.ApiAccess;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One item store per namespace when the operator watches a list of namespaces.
 *
 * <p>JOSDK builds one informer per watched namespace but hands all of them the one item store an
 * informer's configuration names ({@code @Informer(itemStore = ...)}, {@code withItemStore}). An
 * informer's LIST ends by dropping every object of its store that the LIST did not return, so the
 * second namespace's first LIST (and any relist later, after a watch expired) emptied the store of
 * the first namespace's objects: its Secrets "not found", its children recreated, its stacks
 * forgotten until they changed; and a list across namespaces returned every object once per
 * namespace.
 *
 * <p>The client handed to JOSDK is wrapped so that each informer it builds for one namespace gets a
 * view of the shared store holding only that namespace's keys ({@link View}): the store still
 * shapes and keeps the objects (slim copies, shard stubs), each informer sees and replaces only its
 * own. Every other call goes to the real client unchanged. Informers of all namespaces (one
 * informer per kind) do not need it and are left as they are.
 */
@ApiAccess.PassesClient("wraps the client handed to JOSDK; every call goes to the client unchanged")
final class NamespaceScopedStores {
  /** The calls that lead from a kind's operation to an informer of one namespace. */
  private static final Set<String> CHAIN = Set.of("inNamespace", "withLabelSelector", "withLabels", "withLabel",
      "withoutLabels", "withoutLabel", "withLabelIn", "withLabelNotIn", "withFields", "withField", "withoutFields",
      "withoutField", "withLimit", "withIndexers");
  /** What such a call returns, most specific first (the DSL's declared return types are erased generics). */
  private static final List<Class<?>> OPERATIONS = List.of(MixedOperation.class, NonNamespaceOperation.class,
      FilterWatchListDeletable.class, Informable.class);

  private NamespaceScopedStores() {}

  /** The client JOSDK is given when it watches {@code namespaces} (none: all of them). */
  static KubernetesClient forWatched(KubernetesClient real, Set<String> namespaces) {
    return namespaces.size() > 1 ? client(real) : real;
  }

  /** The real client, except that per-namespace informers get per-namespace stores. */
  static KubernetesClient client(KubernetesClient real) {
    return proxy(KubernetesClient.class, (proxy, method, args) -> {
      Object result = call(real, method, args);
      boolean kind = method.getName().equals("resources") || method.getName().equals("genericKubernetesResources");
      return kind ? operation(result, null) : result;
    });
  }

  /** A kind's operation on its way to an informer; {@code namespace} once one was chosen. */
  private static Object operation(Object real, String namespace) {
    Class<?> type = OPERATIONS.stream().filter(t -> t.isInstance(real)).findFirst().orElse(null);
    if (type == null) {
      return real;
    }
    return proxy(type, (proxy, method, args) -> {
      Object result = call(real, method, args);
      String name = method.getName();
      if (CHAIN.contains(name)) {
        return operation(result, name.equals("inNamespace") ? (String) args[0] : namespace);
      }
      if (name.equals("runnableInformer") && namespace != null && result instanceof SharedIndexInformer<?> i) {
        return informer(i, namespace);
      }
      return result;
    });
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object informer(SharedIndexInformer<?> real, String namespace) {
    return proxy(SharedIndexInformer.class, (proxy, method, args) -> {
      if (method.getName().equals("itemStore") && args != null && args.length == 1 && args[0] instanceof ItemStore s) {
        real.itemStore(new View(s, namespace));
        return proxy;
      }
      return call(real, method, args);
    });
  }

  /**
   * One namespace's part of a store shared by the informers of several namespaces: reads and writes
   * go to the shared store by key ({@code namespace/name}, which no other namespace's informer
   * writes); what the informer lists, counts and replaces after a LIST is this namespace's only.
   */
  static final class View<R extends HasMetadata> implements ItemStore<R> {
    private final ItemStore<R> shared;
    private final String namespace;
    private final String prefix;

    View(ItemStore<R> shared, String namespace) {
      this.shared = shared;
      this.namespace = namespace;
      this.prefix = namespace + "/";
    }

    @Override
    public String getKey(R obj) {
      return shared.getKey(obj);
    }

    @Override
    public R put(String key, R obj) {
      return shared.put(key, obj);
    }

    @Override
    public R remove(String key) {
      return shared.remove(key);
    }

    @Override
    public Stream<String> keySet() {
      return shared.keySet().filter(k -> k.startsWith(prefix));
    }

    @Override
    public Stream<R> values() {
      return shared.values().filter(v -> namespace.equals(v.getMetadata().getNamespace()));
    }

    @Override
    public int size() {
      return (int) keySet().count();
    }

    @Override
    public R get(String key) {
      return shared.get(key);
    }

    @Override
    public boolean isFullState() {
      return shared.isFullState();
    }
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** A proxy of {@code type} (the interface the call that returned {@code real} declares). */
  private static <T> T proxy(Class<T> type, InvocationHandler handler) {
    return type.cast(Proxy.newProxyInstance(NamespaceScopedStores.class.getClassLoader(), new Class<?>[] {type},
        handler));
  }
}
