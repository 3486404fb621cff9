package io.pistack.operator.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The per-PiStack gauges of {@link OperatorMetrics}: each series carries the stack's namespace and name, holds the
 * last value the status mirrored into it, and goes with the stack ({@link #forgetStack}). Their cardinality is
 * bounded by the number of PiStacks (times the components, a bounded set, for the component gauge).
 */
final class StackGauges {
  static final String STACK_READY = "pi_operator_stack_ready";
  static final String STACK_HIBERNATED = "pi_operator_stack_hibernated";
  static final String COMPONENT_HEALTHY = "pi_operator_component_healthy";
  static final String BACKUP_VERIFIED = "pi_operator_backup_verification_passed";
  static final String BACKUP_VERIFIED_AT = "pi_operator_backup_last_verification_timestamp_seconds";
  static final String BACKUP_SUCCEEDED_AT = "pi_operator_backup_last_success_timestamp_seconds";

  private final PrometheusMeterRegistry registry;
  private final UnaryOperator<String> componentLabel;
  private final Map<StackKey, AtomicInteger> stackReady = new ConcurrentHashMap<>();
  private final Map<StackKey, AtomicInteger> stackHibernated = new ConcurrentHashMap<>();
  private final Map<ComponentKey, AtomicInteger> componentHealthy = new ConcurrentHashMap<>();
  private final Map<StackKey, AtomicLong[]> verification = new ConcurrentHashMap<>();
  private final Map<StackKey, AtomicLong> backupSucceeded = new ConcurrentHashMap<>();

  /** @param componentLabel bounds a component name to a label value (shared with the probe histograms) */
  StackGauges(PrometheusMeterRegistry registry, UnaryOperator<String> componentLabel) {
    this.registry = registry;
    this.componentLabel = componentLabel;
  }

  void stackReady(String namespace, String name, boolean ready) {
    stackReady.computeIfAbsent(new StackKey(namespace, name), k -> {
      AtomicInteger v = new AtomicInteger();
      Gauge.builder(STACK_READY, v, AtomicInteger::get)
          .description("1 when the PiStack's Ready condition is True, else 0")
          .tags("namespace", namespace, "name", name)
          .register(registry);
      return v;
    }).set(ready ? 1 : 0);
  }

  void stackHibernated(String namespace, String name, boolean hibernated) {
    stackHibernated.computeIfAbsent(new StackKey(namespace, name), k -> {
      AtomicInteger v = new AtomicInteger();
      Gauge.builder(STACK_HIBERNATED, v, AtomicInteger::get)
          .description("1 while the PiStack is hibernated or going to sleep (Hibernated reason Hibernated or"
              + " Hibernating), else 0")
          .tags("namespace", namespace, "name", name)
          .register(registry);
      return v;
    }).set(hibernated ? 1 : 0);
  }

  void componentHealthy(String namespace, String name, String component, boolean healthy) {
    String c = componentLabel.apply(component);
    componentHealthy.computeIfAbsent(new ComponentKey(namespace, name, c), k -> {
      AtomicInteger v = new AtomicInteger();
      Gauge.builder(COMPONENT_HEALTHY, v, AtomicInteger::get)
          .description("1 when the component of the PiStack is healthy, else 0")
          .tags("namespace", namespace, "name", name, "component", c)
          .register(registry);
      return v;
    }).set(healthy ? 1 : 0);
  }

  void backupVerification(String namespace, String name, boolean passed, long epochSeconds) {
    var v = verification.computeIfAbsent(new StackKey(namespace, name), k -> {
      var values = new AtomicLong[] {new AtomicLong(), new AtomicLong()};
      Gauge.builder(BACKUP_VERIFIED, values[0], AtomicLong::get)
          .description("1 when the last verification of a backup of the PiStack passed (or none ran yet), else 0")
          .tags("namespace", namespace, "name", name).register(registry);
      Gauge.builder(BACKUP_VERIFIED_AT, values[1], AtomicLong::get)
          .description("When a backup of the PiStack was last verified (epoch seconds); its creation time before")
          .tags("namespace", namespace, "name", name).register(registry);
      return values;
    });
    v[0].set(passed ? 1 : 0);
    v[1].set(epochSeconds);
  }

  void backupSucceeded(String namespace, String name, long epochSeconds) {
    backupSucceeded.computeIfAbsent(new StackKey(namespace, name), k -> {
      var value = new AtomicLong();
      Gauge.builder(BACKUP_SUCCEEDED_AT, value, AtomicLong::get)
          .description("When the last backup of the PiStack completed (epoch seconds); its creation time before")
          .tags("namespace", namespace, "name", name).register(registry);
      return value;
    }).set(epochSeconds);
  }

  void forgetBackups(String namespace, String name) {
    if (backupSucceeded.remove(new StackKey(namespace, name)) != null) {
      remove(BACKUP_SUCCEEDED_AT, namespace, name);
    }
  }

  void forgetVerification(String namespace, String name) {
    if (verification.remove(new StackKey(namespace, name)) != null) {
      for (String meter : List.of(BACKUP_VERIFIED, BACKUP_VERIFIED_AT)) {
        remove(meter, namespace, name);
      }
    }
  }

  void forgetStack(String namespace, String name) {
    if (stackReady.remove(new StackKey(namespace, name)) != null) {
      remove(STACK_READY, namespace, name);
    }
    if (stackHibernated.remove(new StackKey(namespace, name)) != null) {
      remove(STACK_HIBERNATED, namespace, name);
    }
    componentHealthy.keySet().removeIf(k -> k.namespace.equals(namespace) && k.name.equals(name));
    remove(COMPONENT_HEALTHY, namespace, name);
    forgetVerification(namespace, name);
    forgetBackups(namespace, name);
  }

  private void remove(String meter, String namespace, String name) {
    registry.find(meter).tags("namespace", namespace, "name", name).meters().forEach(registry::remove);
  }

  private record StackKey(String namespace, String name) {}

  private record ComponentKey(String namespace, String name, String component) {}
}
