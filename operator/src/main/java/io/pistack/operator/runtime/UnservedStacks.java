package io.pistack.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.Gauge;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.metrics.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sharded operator's look at the rest of the fleet: PiStacks of its namespaces that no operator has ever
 * reconciled (no status) for {@link #GRACE} are matched by no shard, or by a shard that is not running. Every shard
 * sees the same ones: {@code pi_operator_unserved_stacks}, and a warning naming a few, when the count changes.
 * One LIST of the PiStacks every {@link #EVERY}, read and dropped (no cache). A stack that moved to a shard that does
 * not exist keeps its last status and is not counted: its {@code status.observedGeneration} stops following edits.
 */
@ApiAccess(group = PiStack.GROUP, resource = "pistacks", verbs = "list",
    why = "counts the PiStacks no shard serves (no status), every few minutes")
final class UnservedStacks implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UnservedStacks.class);
  static final Duration GRACE = Duration.ofMinutes(5);
  static final Duration EVERY = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final Supplier<Set<String>> namespaces;
  private final boolean allWhenEmpty;
  private final Clock clock;
  private final AtomicInteger unserved = new AtomicInteger();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "unserved-stacks");
    t.setDaemon(true);
    return t;
  });

  /** @param allWhenEmpty no namespace means every namespace (a list), else none (a selector matching nothing) */
  UnservedStacks(KubernetesClient client, Supplier<Set<String>> namespaces, boolean allWhenEmpty,
      OperatorMetrics metrics, Clock clock) {
    this.client = client;
    this.namespaces = namespaces;
    this.allWhenEmpty = allWhenEmpty;
    this.clock = clock;
    Gauge.builder("pi_operator_unserved_stacks", unserved, AtomicInteger::get)
        .description("PiStacks of the watched namespaces with no status " + GRACE.toMinutes()
            + " minutes after their creation: no running shard's selector matches them")
        .register(metrics.registry());
  }

  UnservedStacks start() {
    timer.scheduleWithFixedDelay(this::check, 60, EVERY.toSeconds(), TimeUnit.SECONDS);
    return this;
  }

  void check() {
    try {
      Set<String> watched = namespaces.get();
      Stream<PiStack> stacks = watched.isEmpty() && allWhenEmpty
          ? client.resources(PiStack.class).inAnyNamespace().list().getItems().stream()
          : watched.stream().flatMap(ns -> client.resources(PiStack.class).inNamespace(ns).list().getItems().stream());
      List<String> found = unserved(stacks, clock.instant());
      if (found.size() != unserved.getAndSet(found.size()) && !found.isEmpty()) {
        LOG.warn("{} PiStacks have no status {} minutes after their creation: no running operator's {} matches them,"
            + " e.g. {}", found.size(), GRACE.toMinutes(), RuntimeConfig.Variable.STACK_SELECTOR.env,
            found.subList(0, Math.min(5, found.size())));
      }
    } catch (RuntimeException e) {
      LOG.debug("counting unserved PiStacks: {}", e.toString());
    }
  }

  /** The stacks ("namespace/name") never reconciled, created more than {@link #GRACE} ago. */
  static List<String> unserved(Stream<PiStack> stacks, Instant now) {
    return stacks.filter(s -> s.getStatus() == null && s.getMetadata().getCreationTimestamp() != null
            && Instant.parse(s.getMetadata().getCreationTimestamp()).plus(GRACE).isBefore(now))
        .map(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()).sorted().toList();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
