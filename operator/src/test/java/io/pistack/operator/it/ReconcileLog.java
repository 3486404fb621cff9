package io.pistack.operator.it;

import io.pistack.operator.metrics.OperatorMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The operator's metrics plus a log of which PiStack's reconciles ran to completion (JOSDK's
 * success), what generation each saw, and when each started. One per operator start (fresh for a
 * restarted operator), shared by the mock and the real-API tiers: a test asserting "nothing
 * happened" first waits here for the reconcile of <em>that</em> stack, after <em>that</em> change,
 * so it cannot pass because nothing ran.
 */
public final class ReconcileLog extends OperatorMetrics {
  /** One completed reconcile: when it started (System.nanoTime) and the generation it saw. */
  public record Completed(long startedNanos, Long generation) {}

  private final Map<String, Long> started = new ConcurrentHashMap<>();
  private final Map<String, List<Completed>> completed = new ConcurrentHashMap<>();

  @Override
  public void reconcileStarted(String namespace, String name) {
    started.put(key(namespace, name), System.nanoTime());
  }

  @Override
  public void reconcileCompleted(String namespace, String name, Long generation) {
    String k = key(namespace, name);
    completed.computeIfAbsent(k, x -> new CopyOnWriteArrayList<>())
        .add(new Completed(started.getOrDefault(k, 0L), generation));
  }

  /** Completed reconciles of every stack since this operator started. */
  public int total() {
    return completed.values().stream().mapToInt(List::size).sum();
  }

  /** Completed reconciles of one stack since this operator started. */
  public int of(String namespace, String name) {
    return completed.getOrDefault(key(namespace, name), List.of()).size();
  }

  /** A reconcile of the stack that saw at least {@code generation} ran to completion. */
  public boolean completedAtGeneration(String namespace, String name, long generation) {
    return completed.getOrDefault(key(namespace, name), List.of()).stream()
        .anyMatch(c -> c.generation() != null && c.generation() >= generation);
  }

  /**
   * A reconcile of the stack that <em>started</em> after {@code markNanos} (System.nanoTime) ran to
   * completion: for changes that are not to the PiStack's spec (a Job deleted, a pod's state).
   */
  public boolean completedSince(String namespace, String name, long markNanos) {
    return completed.getOrDefault(key(namespace, name), List.of()).stream()
        .anyMatch(c -> c.startedNanos() - markNanos > 0);
  }

  private static String key(String namespace, String name) {
    return namespace + "/" + name;
  }
}
