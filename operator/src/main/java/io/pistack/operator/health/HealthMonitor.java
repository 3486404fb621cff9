package io.pistack.operator.health;

import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SpecValidator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Active health probes as a JOSDK event source. Every interval it probes each target of each
 * PiStack on its own bounded executor, so a slow component never holds a reconcile thread: an
 * external database always, a component's Service while the component has ready pods (the
 * reconciler says which through {@link #serving}; a Service without endpoints has nothing to say). A reconcile is triggered only when a target's outcome
 * changes (healthy or not, HTTP code, version, message), never because a probe merely ran; the
 * reconcile reads the current {@link StackHealth} as this source's secondary resource.
 *
 * <p>A healthy target is reported unhealthy only after {@code failureThreshold} consecutive
 * failures. When a component starts serving, its target is probed at once and is "pending" until
 * that probe ends, so that the stack is not reported Ready before its endpoint answered.
 *
 * <p>Targets follow the PiStack (created, updated, deleted) through {@link ResourceEventAware}.
 * The first records of a stack are seeded from its status, so a restarted operator that sees the
 * same outcomes writes nothing.
 *
 * <p>With leader election a standby replica probes nothing (see {@link #leading(boolean)}): it
 * only follows the stacks and their status. When it gains leadership its records are seeded again
 * from the status the previous leader last wrote, never from what it saw earlier (possibly hours
 * ago), and every target that can be probed is probed at once; so the new leader rewrites no
 * unchanged health, and reports its own probes as soon as they end.
 */
public class HealthMonitor extends AbstractEventSource<StackHealth, PiStack>
    implements ResourceEventAware<PiStack> {
  public static final String NAME = "health";
  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

  private final HealthConfig config;
  private final Clock clock;
  private final Map<ResourceID, TrackedStack> stacks = new ConcurrentHashMap<>();
  private volatile ScheduledExecutorService ticker;
  private volatile ExecutorService probes;
  private volatile Prober prober;
  private volatile boolean leading = true;

  public HealthMonitor(HealthConfig config, Clock clock) {
    super(StackHealth.class, NAME);
    this.config = config;
    this.clock = clock;
  }

  public HealthConfig config() {
    return config;
  }

  // ---- lifecycle ----------------------------------------------------------------------------

  @Override
  public synchronized void start() {
    if (config.enabled() && probes == null) {
      AtomicInteger n = new AtomicInteger();
      probes = new ThreadPoolExecutor(config.concurrency(), config.concurrency(), 60, TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(), r -> daemon(r, "pi-health-probe-" + n.incrementAndGet()));
      ((ThreadPoolExecutor) probes).allowCoreThreadTimeOut(true);
      ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "pi-health-ticker"));
      t.setRemoveOnCancelPolicy(true);
      ticker = t;
      prober = new Prober(config.timeout());
      long every = config.interval().toMillis();
      ticker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    }
    super.start();
  }

  @Override
  public synchronized void stop() {
    super.stop();
    if (ticker != null) {
      ticker.shutdownNow();
      probes.shutdownNow();
      ticker = null;
      probes = null;
    }
    stacks.clear();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  // ---- the primary's life -------------------------------------------------------------------

  @Override
  public void onResourceCreated(PiStack stack) {
    track(stack);
  }

  @Override
  public void onResourceUpdated(PiStack stack, PiStack old) {
    track(stack);
  }

  @Override
  public void onResourceDeleted(PiStack stack) {
    stacks.remove(ResourceID.fromResource(stack));
  }

  /** Starts or updates the probes of a stack; cheap when nothing the probes depend on changed. */
  public void track(PiStack stack) {
    if (!config.enabled() || stack.getSpec() == null) {
      return;
    }
    ResourceID id = ResourceID.fromResource(stack);
    TrackedStack known = stacks.get(id);
    if (known != null && known.resolvedFrom(stack)) {
      // The same object at the same generation (a status write, a label): the same spec, so the same
      // valid spec and the same targets; only the status seen changes. Nothing is validated or resolved again.
      known.status = stack.getStatus();
      return;
    }
    if (!SpecValidator.validate(stack).isEmpty()) {
      return; // an invalid spec is reported by the reconciler; there is nothing sensible to probe
    }
    List<ProbeTarget> targets;
    try {
      targets = ProbeTarget.of(new ResolvedStack(stack));
    } catch (RuntimeException e) {
      return;
    }
    List<ProbeSlot> fresh = new ArrayList<>();
    stacks.compute(id, (key, old) -> old != null && old.targets.equals(targets)
        ? old : TrackedStack.next(old, id, stack, targets, fresh));
    TrackedStack tracked = stacks.get(id);
    if (tracked == null) {
      return;
    }
    tracked.status = stack.getStatus();
    tracked.resolved(stack);
    fresh.stream().filter(s -> tracked.shouldProbe(s)).forEach(s -> submit(tracked, s));
  }

  // ---- leadership ---------------------------------------------------------------------------

  /**
   * Whether this replica leads (true without leader election, the default). A standby probes
   * nothing. Gaining leadership reseeds every stack's records from its current status
   * ({@link TrackedStack#recordsOnLeadership}), forgets failure counts, pending targets and which components
   * serve (the new leader's first reconcile is a baseline), and probes at once what can be probed
   * before that reconcile (an external database); the components are probed at once by that
   * first reconcile's {@link #serving} call. Call it before the new leader starts reconciling.
   */
  public void leading(boolean now) {
    boolean was = leading;
    leading = now;
    if (!now || was) {
      return;
    }
    for (TrackedStack tracked : stacks.values()) {
      tracked.onLeadership().forEach(s -> submit(tracked, s));
    }
  }

  public boolean leading() {
    return leading;
  }

  /**
   * The reconciler's view of which components have ready pods. A component that has just started
   * serving is probed at once and reported pending until that probe ends. The first call for a
   * stack is a baseline: after an operator restart (or a failover) nothing has "just" started, so
   * nothing is pending, but every serving component is probed at once rather than an interval
   * later: its record (seeded from the status) is replaced by a probe of this replica's soon.
   */
  public void serving(ResourceID id, Set<String> keys) {
    TrackedStack tracked = stacks.get(id);
    if (tracked != null) {
      tracked.serving(keys).forEach(s -> submit(tracked, s));
    }
  }

  // ---- what a reconcile reads ---------------------------------------------------------------

  @Override
  public Set<StackHealth> getSecondaryResources(PiStack primary) {
    return Set.of(snapshot(ResourceID.fromResource(primary)));
  }

  /** The targets tracked for a stack (none when it is not tracked). */
  List<ProbeTarget> targets(ResourceID id) {
    TrackedStack tracked = stacks.get(id);
    return tracked == null ? List.of() : tracked.targets;
  }

  public StackHealth snapshot(ResourceID id) {
    if (!config.enabled()) {
      return StackHealth.DISABLED;
    }
    TrackedStack tracked = stacks.get(id);
    return tracked == null ? StackHealth.NONE_YET : tracked.snapshot();
  }

  // ---- probing ------------------------------------------------------------------------------

  private void tick() {
    if (!leading) {
      return;
    }
    try {
      stacks.values().forEach(t -> t.slots.values().stream().filter(t::shouldProbe).forEach(s -> submit(t, s)));
    } catch (RuntimeException e) {
      LOG.warn("health tick failed: {}", e.getClass().getSimpleName());
    }
  }

  private void submit(TrackedStack tracked, ProbeSlot slot) {
    ExecutorService pool = probes;
    if (pool == null || !leading || !slot.inFlight.compareAndSet(0, 1)) {
      return; // not started, a standby, or this target's previous probe is still running: never pile up
    }
    try {
      pool.execute(() -> {
        try {
          run(tracked, slot);
        } finally {
          slot.inFlight.set(0);
        }
      });
    } catch (RejectedExecutionException e) {
      slot.inFlight.set(0);
    }
  }

  private void run(TrackedStack tracked, ProbeSlot slot) {
    ProbeResult result;
    try {
      result = prober.probe(config.resolver().resolve(slot.target));
    } catch (RuntimeException e) {
      result = new ProbeResult(false, null, 0, null, "probe failed (" + e.getClass().getSimpleName() + ")");
    }
    try {
      config.listener().probed(tracked.name, slot.target, result);
    } catch (RuntimeException e) {
      LOG.debug("probe listener failed", e);
    }
    boolean changed;
    synchronized (tracked) {
      if (stacks.get(tracked.id) != tracked || tracked.slots.get(slot.target.key()) != slot) {
        return; // the stack was deleted or this target replaced while the probe ran
      }
      changed = slot.record(result, clock.instant(), config.failureThreshold());
    }
    if (changed && isRunning()) {
      LOG.debug("health of {}/{} {} changed: {}", tracked.id, slot.target.key(),
          result.healthy() ? "healthy" : "unhealthy", result.message());
      getEventHandler().handleEvent(new Event(tracked.id));
    }
  }
}
