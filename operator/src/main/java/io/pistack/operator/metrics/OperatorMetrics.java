package io.pistack.operator.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The operator's own metrics, in one place, over a Prometheus registry that also carries JOSDK's
 * reconcile metrics and the JVM's. Label cardinality is bounded by design:
 * <ul>
 *   <li>per PiStack: one {@code pi_operator_stack_ready} and one {@code pi_operator_stack_hibernated} series,
 *       five {@code pi_operator_component_healthy} series at most, and its backup gauges; all are
 *       removed when the PiStack is deleted ({@link #forgetStack}; these per-stack gauges live in
 *       {@link StackGauges});</li>
 *   <li>probe latency: one histogram per component (a fixed set of names);</li>
 *   <li>reconcile errors: one counter per reason; reasons are CamelCase words and at most
 *       {@link #MAX_REASONS} distinct ones are kept, the rest count as {@code Other}.</li>
 * </ul>
 * Health code (active probes) and the reconciler call the small methods below; nothing else needs
 * to know about micrometer. Tests can use a plain {@code new OperatorMetrics()}.
 */
public class OperatorMetrics {
  public static final String STACK_READY = StackGauges.STACK_READY;
  public static final String STACK_HIBERNATED = StackGauges.STACK_HIBERNATED;
  public static final String COMPONENT_HEALTHY = StackGauges.COMPONENT_HEALTHY;
  public static final String PROBE_DURATION = "pi_operator_probe_duration";
  public static final String RECONCILE_ERRORS = "pi_operator_reconcile_errors";
  public static final String LEADER = "pi_operator_leader";
  public static final String BACKUP_VERIFIED = StackGauges.BACKUP_VERIFIED;
  public static final String BACKUP_VERIFIED_AT = StackGauges.BACKUP_VERIFIED_AT;
  public static final String BACKUP_SUCCEEDED_AT = StackGauges.BACKUP_SUCCEEDED_AT;
  static final int MAX_REASONS = 32;
  private static final String JOSDK_PREFIX = "operator.sdk.";
  private static final Set<String> LINT_FAILING_METERS = Set.of("process.cpu.time", "system.cpu.count");
  private static final Pattern REASON = Pattern.compile("[A-Z][A-Za-z0-9]{0,63}");
  private static final Pattern COMPONENT = Pattern.compile("[a-z][a-z0-9-]{0,31}");
  private static final int MAX_COMPONENTS = 16;

  private final PrometheusMeterRegistry registry;
  private final StackGauges stacks;
  private final Set<String> reasons = ConcurrentHashMap.newKeySet();
  private final Set<String> components = ConcurrentHashMap.newKeySet();
  private final AtomicInteger leader = new AtomicInteger(0);

  public OperatorMetrics() {
    this(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public OperatorMetrics(PrometheusMeterRegistry registry) {
    this.registry = registry;
    this.stacks = new StackGauges(registry, this::component);
    // Two of micrometer's processor meters break Prometheus naming rules (promtool check metrics:
    // an abbreviated unit in process_cpu_time_ns_total, a _count suffix on a gauge); drop them.
    registry.config().meterFilter(MeterFilter.deny(id -> LINT_FAILING_METERS.contains(id.getName())));
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        if (id.getDescription() != null || !id.getName().startsWith(JOSDK_PREFIX)) {
          return id;
        }
        return new Meter.Id(id.getName(), Tags.of(id.getTags()), id.getBaseUnit(), josdkHelp(id.getName()),
            id.getType());
      }
    });
    Gauge.builder(LEADER, leader, AtomicInteger::get)
        .description("1 while this replica leads (or leader election is off), else 0")
        .register(registry);
  }

  /** Adds the JVM and process metrics (memory, GC, threads, CPU, uptime); once per process. */
  public OperatorMetrics withJvmMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    return this;
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition (format 0.0.4). */
  public String scrape() {
    return registry.scrape();
  }

  /** Whether a PiStack is Ready; one series per PiStack. */
  public void stackReady(String namespace, String name, boolean ready) {
    stacks.stackReady(namespace, name, ready);
  }

  /**
   * Whether a PiStack is asleep or going to sleep (its Hibernated condition's reason is Hibernated or Hibernating;
   * not while it wakes); one series per PiStack. The chart's per-stack alerts leave out a stack while it is 1.
   */
  public void stackHibernated(String namespace, String name, boolean hibernated) {
    stacks.stackHibernated(namespace, name, hibernated);
  }

  /** Whether one component of a PiStack is healthy (as the health checks judge it). */
  public void componentHealthy(String namespace, String name, String component, boolean healthy) {
    stacks.componentHealthy(namespace, name, component, healthy);
  }

  /** How long one active probe of a component took. Per component only: never per stack. */
  public void probeLatency(String component, Duration duration) {
    Timer.builder(PROBE_DURATION)
        .description("Latency of the active health probes, by component")
        .tags("component", component(component))
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(5))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry)
        .record(duration);
  }

  /** One failed reconcile, by reason (a CamelCase condition reason such as ReconcileFailed). */
  public void reconcileError(String reason) {
    Counter.builder(RECONCILE_ERRORS)
        .description("Reconciles that ended in an error condition, by reason")
        .tags(Tags.of("reason", reason(reason)))
        .register(registry)
        .increment();
  }

  /**
   * The last backup verification of a PiStack whose backups are verified: whether it passed, and when it ran
   * (epoch seconds; before the first verification, when the PiStack was created, so that "never verified"
   * becomes stale like "not verified lately"). Two series per such PiStack.
   */
  public void backupVerification(String namespace, String name, boolean passed, long epochSeconds) {
    stacks.backupVerification(namespace, name, passed, epochSeconds);
  }

  /**
   * When the last backup of a PiStack with backups enabled completed (epoch seconds; its creation time before the
   * first, so that "never backed up" becomes stale like "not backed up lately"). One series per such PiStack.
   */
  public void backupSucceeded(String namespace, String name, long epochSeconds) {
    stacks.backupSucceeded(namespace, name, epochSeconds);
  }

  /** Drops the backup series (the PiStack was deleted, or its backups turned off). */
  public void forgetBackups(String namespace, String name) {
    stacks.forgetBackups(namespace, name);
  }

  /** Set when this replica gains or loses leadership (or at start when leader election is off). */
  public void leader(boolean leading) {
    leader.set(leading ? 1 : 0);
  }

  /**
   * A reconcile of this PiStack starts. A hook, not a series (a count per stack would grow with the
   * number of stacks): tests override it to see which stack's reconcile ran when.
   */
  public void reconcileStarted(String namespace, String name) {
  }

  /**
   * A reconcile of this PiStack, which saw {@code generation}, ran to completion (JOSDK's success).
   * A hook, like {@link #reconcileStarted}: what a test asserting "nothing happened" waits for first.
   */
  public void reconcileCompleted(String namespace, String name, Long generation) {
  }

  /** Drops every series of a deleted PiStack. */
  /** {@link #forgetStack(String, String)} of the stack {@code id} names. */
  public void forgetStack(io.javaoperatorsdk.operator.processing.event.ResourceID id) {
    forgetStack(id.getNamespace().orElse(""), id.getName());
  }

  public void forgetStack(String namespace, String name) {
    stacks.forgetStack(namespace, name);
  }

  /** Drops the verification series (the PiStack was deleted, or its backups are no longer verified). */
  public void forgetVerification(String namespace, String name) {
    stacks.forgetVerification(namespace, name);
  }

  /** JOSDK registers its meters without help text; Prometheus linters want one. */
  static String josdkHelp(String name) {
    String n = name.substring(JOSDK_PREFIX.length());
    if (n.startsWith("reconciliations.executions.")) {
      return "Reconciles running now (JOSDK)";
    }
    if (n.startsWith("reconciliations.queue.size.")) {
      return "Resources waiting for a reconcile (JOSDK)";
    }
    return switch (n) {
      case "controllers.execution.reconcile" -> "Duration of reconcile executions, by controller (JOSDK)";
      case "controllers.execution.reconcile.success" -> "Reconcile executions that returned, by outcome (JOSDK)";
      case "controllers.execution.reconcile.failure" -> "Reconcile executions that threw, by exception (JOSDK)";
      case "controllers.execution.cleanup" -> "Duration of cleanup executions (JOSDK)";
      case "controllers.execution.cleanup.success" -> "Cleanup executions that returned (JOSDK)";
      case "controllers.execution.cleanup.failure" -> "Cleanup executions that threw (JOSDK)";
      case "events.received" -> "Events received for primary resources (JOSDK)";
      case "events.delete" -> "Delete events received for primary resources (JOSDK)";
      case "reconciliations.started" -> "Reconciles started (JOSDK)";
      case "reconciliations.success" -> "Reconciles that succeeded (JOSDK)";
      case "reconciliations.failed" -> "Reconciles that failed with an exception (JOSDK)";
      case "reconciliations.retries.number" -> "Reconcile retries (JOSDK)";
      case "reconciliations.retries.last" -> "Reconciles that were the last retry (JOSDK)";
      default -> "Java Operator SDK metric " + name;
    };
  }

  private String reason(String reason) {
    if (reason == null || !REASON.matcher(reason).matches()) {
      return "Other";
    }
    if (reasons.contains(reason)) {
      return reason;
    }
    synchronized (reasons) {
      if (reasons.size() >= MAX_REASONS) {
        return "Other";
      }
      reasons.add(reason);
      return reason;
    }
  }

  private String component(String component) {
    if (component == null || !COMPONENT.matcher(component).matches()) {
      return "other";
    }
    if (components.contains(component)) {
      return component;
    }
    synchronized (components) {
      if (components.size() >= MAX_COMPONENTS) {
        return "other";
      }
      components.add(component);
      return component;
    }
  }
}
