package io.pistack.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When to look again at a stack whose reconcile failed (a refused apply, or an error outside the
 * workflow): 2 s after the first failure, doubling with each consecutive failure of that stack, at
 * most 5 minutes; a reconcile that succeeds starts the count again. It wins over the short
 * rechecks of a rollout or an unrecorded Job, so a stack that keeps failing is not reconciled every
 * 2 s for ever. Events (a changed spec, a child, a Secret) still trigger a reconcile at once.
 */
final class ErrorBackoff {
  static final Duration FIRST = Duration.ofSeconds(2);
  static final Duration MAX = Duration.ofMinutes(5);

  private final Map<ResourceID, Integer> failures = new ConcurrentHashMap<>();

  /** The delay after the n-th consecutive failure (n ≥ 1): min(2 s · 2^(n-1), 5 min). */
  static Duration delay(int consecutiveFailures) {
    int n = Math.max(1, consecutiveFailures);
    // 2 s · 2^8 = 512 s is already past the cap: no shift overflows.
    return n > 9 ? MAX : min(FIRST.multipliedBy(1L << (n - 1)), MAX);
  }

  /** Counts a failure of the stack and gives the delay before its next reconcile. */
  Duration failed(ResourceID stack) {
    return delay(failures.merge(stack, 1, Integer::sum));
  }

  /** The stack reconciled without error: its next failure waits {@link #FIRST} again. */
  void succeeded(ResourceID stack) {
    failures.remove(stack);
  }

  /** Consecutive failures counted for the stack (0 after a success). */
  int failures(ResourceID stack) {
    return failures.getOrDefault(stack, 0);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
