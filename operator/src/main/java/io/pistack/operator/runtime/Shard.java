package io.pistack.operator.runtime;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.ShardScope;
import io.pistack.operator.metrics.OperatorMetrics;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This operator's share of the fleet ({@link ShardConfig}, docs/sizing.md), wired into JOSDK: the PiStack
 * controller's label selector, the {@link ShardScope} its children's stores keep to, the PiBackups of its stacks
 * only, and the namespaces a namespace label selector matches, followed while it runs (a namespace that gains the
 * label has its stacks reconciled, one that loses it has them forgotten; no restart). What it serves is visible: {@code pi_operator_shard_stacks}, {@code pi_operator_shard_namespaces}, and a warning
 * when a selector matches nothing.
 */
@ApiAccess(resource = "namespaces", verbs = {"list", "watch"}, scope = ApiAccess.Scope.NAMESPACE_SELECTOR,
    why = "follows the namespaces PI_OPERATOR_NAMESPACE_SELECTOR matches")
final class Shard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Shard.class);

  private final ShardConfig config;
  private final KubernetesClient client;
  private final ShardScope scope;
  private volatile Set<String> namespaces;
  private volatile SharedIndexInformer<Namespace> informer;
  private final OperatorMetrics metrics;
  private volatile UnservedStacks unserved;

  Shard(RuntimeConfig runtime, KubernetesClient client, OperatorMetrics metrics) {
    this.config = runtime.shard();
    this.client = client;
    this.metrics = metrics;
    boolean sharded = config.stacks().isPresent() || config.namespaces().isPresent();
    this.scope = sharded ? ShardScope.activate() : ShardScope.NONE;
    this.namespaces = config.namespaces().map(s -> matching()).orElse(runtime.watchNamespaces());
    config.namespaces().ifPresent(s -> scope.namespaces(namespaces, Set.of()));
    if (config.namespaces().isPresent()) {
      Gauge.builder("pi_operator_shard_namespaces", () -> namespaces.size())
          .description("Namespaces PI_OPERATOR_NAMESPACE_SELECTOR matches now (the operator serves them)")
          .register(metrics.registry());
    }
    if (config.stacks().isPresent()) {
      Gauge.builder("pi_operator_shard_stacks", scope::size)
          .description("PiStacks PI_OPERATOR_STACK_SELECTOR matches in the served namespaces (this shard's share)")
          .register(metrics.registry());
    }
  }

  /** The PiStack controller: its namespaces and stack selector. */
  void stacks(ControllerConfigurationOverrider<PiStack> c) {
    watched(c);
    config.stacks().ifPresent(s -> c.withLabelSelector(s.text()));
    if (config.namespaces().isPresent()) {
      c.withGenericFilter(s -> scope.serves(s.getMetadata().getNamespace()));
    }
  }

  /** The PiBackup controller: its namespaces, and only the PiBackups of this shard's stacks. */
  void backups(ControllerConfigurationOverrider<PiBackup> c) {
    watched(c);
    if (config.stacks().isPresent() || config.namespaces().isPresent()) {
      c.withGenericFilter(b -> scope.serves(b.getMetadata().getNamespace()) && (config.stacks().isEmpty()
          || b.getSpec() == null || b.getSpec().stack == null
          || scope.member(new ResourceID(b.getSpec().stack, b.getMetadata().getNamespace()))));
    }
  }

  /**
   * A list of namespaces is JOSDK's. Namespaces chosen by a selector are the shard's own choice, over informers of
   * every namespace: JOSDK shares one item store between the informers of several namespaces, and a namespace's
   * first LIST would drop the others' objects from it; one informer per kind avoids that, and the shard keeps only
   * what its namespaces hold (ShardScope).
   */
  private void watched(ControllerConfigurationOverrider<?> c) {
    if (config.namespaces().isEmpty() && !namespaces.isEmpty()) {
      c.settingNamespaces(namespaces);
    }
  }

  /** Both controllers are registered: stores built from now on are no longer this shard's. */
  void registered() {
    ShardScope.release();
  }

  /** After the start: the namespace selector's watch, and what the shard serves, in the log. */
  void started() {
    if (config.stacks().isEmpty() && config.namespaces().isEmpty()) {
      return;
    }
    LOG.info("this operator serves {}: {} PiStacks in {}", config.describe(),
        config.stacks().isPresent() ? scope.size() : "all", shown(namespaces));
    if (config.stacks().isPresent()) {
      unserved = new UnservedStacks(client, () -> namespaces, config.namespaces().isEmpty(), metrics,
          java.time.Clock.systemUTC()).start();
    }
    if (config.stacks().isPresent() && scope.size() == 0) {
      LOG.warn("{}={} matches no PiStack in {}: this operator has nothing to do until one is labelled",
          RuntimeConfig.Variable.STACK_SELECTOR.env, config.stacks().get(), shown(namespaces));
    }
    config.namespaces().ifPresent(selector -> {
      informer = client.namespaces().withLabelSelector(selector.text()).inform(new ResourceEventHandler<>() {
        @Override
        public void onAdd(Namespace ns) {
          follow();
        }

        @Override
        public void onUpdate(Namespace before, Namespace now) {
          follow();
        }

        @Override
        public void onDelete(Namespace ns, boolean unknown) {
          follow();
        }
      });
      follow();
    });
  }

  /** The namespaces the selector matches now; the shard follows when that changed. */
  private synchronized void follow() {
    if (informer == null) {
      return;
    }
    Set<String> now = informer.getStore().list().stream().map(n -> n.getMetadata().getName())
        .collect(Collectors.toCollection(TreeSet::new));
    if (now.equals(namespaces)) {
      return;
    }
    LOG.info("{}={}: now watching {} (was {})", RuntimeConfig.Variable.NAMESPACE_SELECTOR.env,
        config.namespaces().get(), shown(now), shown(namespaces));
    warnIfNone(now);
    Set<String> before = namespaces;
    namespaces = Set.copyOf(now);
    scope.namespaces(namespaces, before);
  }

  /** The namespaces the selector matches at the start; none when that LIST fails (the watch catches up). */
  private Set<String> matching() {
    try {
      Set<String> now = client.namespaces().withLabelSelector(config.namespaces().get().text()).list()
          .getItems().stream().map(n -> n.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
      warnIfNone(now);
      return Set.copyOf(now);
    } catch (RuntimeException e) {
      LOG.warn("listing the namespaces {}={} matches failed ({}): none served until the namespace watch catches up",
          RuntimeConfig.Variable.NAMESPACE_SELECTOR.env, config.namespaces().get(), e.toString());
      return Set.of();
    }
  }

  private void warnIfNone(Set<String> now) {
    if (now.isEmpty()) {
      LOG.warn("{}={} matches no namespace: this operator serves none until one is labelled",
          RuntimeConfig.Variable.NAMESPACE_SELECTOR.env, config.namespaces().get());
    }
  }

  private String shown(Set<String> namespaces) {
    return namespaces.isEmpty() ? config.namespaces().isPresent() ? "no namespace" : "all namespaces"
        : "namespaces " + new TreeSet<>(namespaces);
  }

  @Override
  public void close() {
    SharedIndexInformer<Namespace> i = informer;
    if (i != null) {
      i.close();
    }
    if (unserved != null) {
      unserved.close();
    }
  }
}
