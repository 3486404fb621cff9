package io.pistack.operator.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.ConfigurationService;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.config.informer.InformerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResourceConfig;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.ManagedInformerEventSource;
import io.pistack.operator.access.ApiAccess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The Kubernetes API permissions the operator needs, derived from what it actually runs, never
 * kept as a second list:
 * <ol>
 *   <li><b>Informers</b>: every informer-backed event source of the registered controller (the
 *       PiStack informer and each dependent's) needs get, list and watch on its resource type.</li>
 *   <li><b>Dependents</b>: each dependent of the {@code @Workflow}, by its JOSDK traits:
 *       {@link Creator} creates (with server-side apply that is an apply PATCH, which the API
 *       server authorises as create and as patch); {@link Updater} updates (SSA: patch; otherwise
 *       update); {@link Deleter} (including GarbageCollected dependents, which JOSDK deletes when a
 *       reconcile precondition turns false, and bulk dependents, which delete surplus objects)
 *       deletes. Whether SSA applies is JOSDK's own decision ({@link ConfigurationService#shouldUseSSA}).</li>
 *   <li><b>The primary</b>: the reconciler patches the status subresource (UpdateControl.patchStatus,
 *       an apply PATCH or a merge patch); a finalizer, if JOSDK uses one, patches the PiStack.</li>
 *   <li><b>Explicit calls</b>: every {@link ApiAccess} declared on a class of the operator (found by
 *       scanning its classes; a test fails for a class that uses the client without a
 *       declaration).</li>
 * </ol>
 * Not included: the SelfSubjectRulesReview JOSDK creates before leader election (every
 * authenticated user may create one through the built-in {@code system:basic-user} role).
 */
public final class RequiredPermissions {
  /** Namespace value meaning "every namespace" (a ClusterRole). */
  public static final String ALL_NAMESPACES = "*";
  private static final String OPERATOR_PACKAGE = "io/pistack/operator/";

  /** One verb on one resource in one namespace ({@link #ALL_NAMESPACES} for cluster-wide). */
  public record Permission(String namespace, String group, String resource, String verb, String why)
      implements Comparable<Permission> {
    /** The same permission without its reason (for set comparison). */
    public String key() {
      return namespace + " " + (group.isEmpty() ? "core" : group) + " " + resource + " " + verb;
    }

    @Override
    public int compareTo(Permission o) {
      return key().compareTo(o.key());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Permission p && p.key().equals(key());
    }

    @Override
    public int hashCode() {
      return key().hashCode();
    }

    @Override
    public String toString() {
      return key() + " (" + why + ")";
    }
  }

  private RequiredPermissions() {}

  /**
   * @param controller the registered PiStack controller (as {@link OperatorRuntime#controller()})
   * @param leaseNamespace the Lease's namespace when leader election is on, else null
   */
  public static Set<Permission> of(Controller<?> controller, String leaseNamespace) {
    return of(controller, leaseNamespace, false);
  }

  /** As above; {@code namespaceSelector}: the namespaces are chosen by a label selector (cluster-wide list/watch). */
  public static Set<Permission> of(Controller<?> controller, String leaseNamespace, boolean namespaceSelector) {
    ControllerConfiguration<?> cfg = controller.getConfiguration();
    ConfigurationService service = cfg.getConfigurationService();
    InformerConfiguration<?> informer = cfg.getInformerConfig();
    List<String> watched = informer.watchAllNamespaces() ? List.of(ALL_NAMESPACES)
        : List.copyOf(new TreeSet<>(informer.getEffectiveNamespaces(cfg)));
    Set<Permission> out = new TreeSet<>();

    for (EventSource<?, ?> source : controller.getEventSourceManager().allEventSources()) {
      if (source instanceof ManagedInformerEventSource<?, ?, ?> informerSource) {
        Class<? extends HasMetadata> type = informerSource.resourceType();
        for (String verb : List.of("get", "list", "watch")) {
          add(out, watched, type, "", verb, "informer " + source.name());
        }
      }
    }

    Class<? extends HasMetadata> primary = cfg.getResourceClass();
    add(out, watched, primary, "/status", "patch", "the reconciler patches the PiStack status");
    if (controller.useFinalizer()) {
      add(out, watched, primary, "", "patch", "JOSDK adds and removes its finalizer");
    }

    for (DependentResourceSpec<?, ?, ?> spec : dependentSpecs(cfg)) {
      Class<?> drClass = spec.getDependentResourceClass();
      Class<? extends HasMetadata> type = resourceType(drClass);
      String what = "dependent " + spec.getName() + " (" + drClass.getSimpleName() + ")";
      boolean ssa = KubernetesDependentResource.class.isAssignableFrom(drClass) && service.shouldUseSSA(
          kubernetesDependentClass(drClass), type, (KubernetesDependentResourceConfig<?>) spec.getConfiguration()
              .filter(KubernetesDependentResourceConfig.class::isInstance).orElse(null));
      if (spec.getActivationCondition() != null) { // its informer is registered once the condition holds
        for (String verb : List.of("get", "list", "watch")) {
          add(out, watched, type, "", verb, what + " watches once active");
        }
      }
      if (Creator.class.isAssignableFrom(drClass)) {
        add(out, watched, type, "", "create", what + " creates");
        if (ssa) {
          add(out, watched, type, "", "patch", what + " creates by server-side apply");
        }
      }
      if (Updater.class.isAssignableFrom(drClass)) {
        add(out, watched, type, "", ssa ? "patch" : "update", what + " updates");
      }
      if (Deleter.class.isAssignableFrom(drClass)) {
        add(out, watched, type, "", "delete", what + " deletes");
      }
    }

    for (Class<?> c : operatorClasses()) {
      for (ApiAccess a : c.getAnnotationsByType(ApiAccess.class)) {
        List<String> where;
        if (a.scope() == ApiAccess.Scope.LEASE_NAMESPACE) {
          if (leaseNamespace == null) {
            continue;
          }
          where = List.of(leaseNamespace);
        } else if (a.scope() == ApiAccess.Scope.NAMESPACE_SELECTOR) {
          if (!namespaceSelector) {
            continue;
          }
          where = List.of(ALL_NAMESPACES);
        } else {
          where = watched;
        }
        for (String verb : a.verbs()) {
          for (String ns : where) {
            out.add(new Permission(ns, a.group(), a.resource(), verb, c.getSimpleName() + ": " + a.why()));
          }
        }
      }
    }
    return out;
  }

  private static void add(Set<Permission> out, List<String> namespaces, Class<? extends HasMetadata> type,
      String subresource, String verb, String why) {
    for (String ns : namespaces) {
      out.add(new Permission(ns, HasMetadata.getGroup(type), HasMetadata.getPlural(type) + subresource, verb, why));
    }
  }

  @SuppressWarnings("unchecked")
  private static Collection<DependentResourceSpec<?, ?, ?>> dependentSpecs(ControllerConfiguration<?> cfg) {
    return cfg.getWorkflowSpec().map(w -> (Collection<DependentResourceSpec<?, ?, ?>>) (Collection<?>)
        w.getDependentResourceSpecs()).orElse(List.of());
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends KubernetesDependentResource<?, ?>> kubernetesDependentClass(Class<?> c) {
    return (Class<? extends KubernetesDependentResource<?, ?>>) c;
  }

  @SuppressWarnings("unchecked")
  private static Class<? extends HasMetadata> resourceType(Class<?> dependentClass) {
    try {
      DependentResource<?, ?> dr = (DependentResource<?, ?>) dependentClass.getDeclaredConstructor().newInstance();
      return (Class<? extends HasMetadata>) dr.resourceType();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot instantiate " + dependentClass.getName(), e);
    }
  }

  /** Every class of the operator's own packages, from the directory or jar this class came from. */
  public static List<Class<?>> operatorClasses() {
    List<String> names = new ArrayList<>();
    try {
      URL location = RequiredPermissions.class.getProtectionDomain().getCodeSource().getLocation();
      Path path = Path.of(location.toURI());
      if (Files.isDirectory(path)) {
        Path root = path.resolve(OPERATOR_PACKAGE);
        try (Stream<Path> files = Files.walk(root)) {
          files.filter(f -> f.toString().endsWith(".class"))
              .forEach(f -> names.add(path.relativize(f).toString().replace('\\', '/')));
        }
      } else {
        try (JarFile jar = new JarFile(path.toFile())) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (n.startsWith(OPERATOR_PACKAGE) && n.endsWith(".class")) {
              names.add(n);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    ClassLoader loader = RequiredPermissions.class.getClassLoader();
    List<Class<?>> classes = new ArrayList<>();
    for (String n : names) {
      try {
        classes.add(Class.forName(n.substring(0, n.length() - ".class".length()).replace('/', '.'), false, loader));
      } catch (ClassNotFoundException | LinkageError e) {
        throw new IllegalStateException("cannot load " + n, e);
      }
    }
    classes.sort(Comparator.comparing(Class::getName));
    return classes;
  }
}
