package io.pistack.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * When to look again at a stack whose reconcile failed (a refused apply, or an error outside the
 * workflow), counted per stack over consecutive failures of the same spec generation; a reconcile
 * that succeeds, a new generation (the user edited the spec: perhaps the fix) and the stack's
 * deletion start the count again.
 * <ul>
 *   <li>An answer by which the API server means "try again" (409 Conflict: the object changed in
 *       between; 429; 500, 502, 503, 504) or no answer at all (a timeout, a cut connection): soon,
 *       1, 2, 4, 8, 16 s, then every 30 s.
 *   <li>Anything else (a refusal such as 403 or 422, which a retry does not cure): 2 s, doubling,
 *       at most 5 minutes.
 * </ul>
 * It wins over the short rechecks of a rollout or an unrecorded Job, so a stack that keeps failing
 * is not reconciled every 2 s for ever. Events (a changed spec, a child, a Secret) still trigger a
 * reconcile at once.
 */
final class ErrorBackoff {
  static final Duration FIRST_TRANSIENT = Duration.ofSeconds(1);
  static final Duration MAX_TRANSIENT = Duration.ofSeconds(30);
  static final Duration FIRST = Duration.ofSeconds(2);
  static final Duration MAX = Duration.ofMinutes(5);
  /** Consecutive "try again" failures before the status reports them: a single 409 is a blip, not a fault. */
  static final int REPORT_TRANSIENT_AFTER = 3;
  static final Set<Integer> TRANSIENT_CODES = Set.of(409, 429, 500, 502, 503, 504);

  /** Consecutive failures of a stack at one spec generation. */
  private record Count(Long generation, int failures) {}

  private final Map<ResourceID, Count> failures = new ConcurrentHashMap<>();

  /** The delay after the n-th consecutive refusal (n ≥ 1): min(2 s · 2^(n-1), 5 min). */
  static Duration delay(int consecutiveFailures) {
    return doubling(FIRST, MAX, consecutiveFailures);
  }

  /** The delay after the n-th consecutive transient failure (n ≥ 1): min(1 s · 2^(n-1), 30 s). */
  static Duration transientDelay(int consecutiveFailures) {
    return doubling(FIRST_TRANSIENT, MAX_TRANSIENT, consecutiveFailures);
  }

  /**
   * Counts a failure of the stack at this spec generation with these errors and gives the delay
   * before its next reconcile. A failure at another generation than the last counts as the first.
   */
  Duration failed(ResourceID stack, Long generation, Collection<? extends Throwable> errors) {
    int n = failures.compute(stack, (k, c) -> c == null || !Objects.equals(c.generation(), generation)
        ? new Count(generation, 1) : new Count(generation, c.failures() + 1)).failures();
    return allTransient(errors) ? transientDelay(n) : delay(n);
  }

  /**
   * {@link #failed} for the stack this reconcile read. A stack deleted while it ran keeps no count:
   * the informer drops it from the cache before it tells DeletedStacks, so either this check sees it
   * gone (and {@code gone} forgets it) or the forget comes after.
   */
  Duration failed(PiStack stack, Context<PiStack> context, Collection<? extends Throwable> errors,
      Consumer<ResourceID> gone) {
    ResourceID id = ResourceID.fromResource(stack);
    Duration next = failed(id, stack.getMetadata().getGeneration(), errors);
    if (context.getPrimaryCache().get(id).isEmpty()) {
      gone.accept(id);
    }
    return next;
  }

  /**
   * Whether the status reports these errors, counted by {@link #failed} just before: a refusal at
   * once; "try again" answers only from the {@value #REPORT_TRANSIENT_AFTER}rd in a row (about 3 s
   * after the first), so a conflict that the next attempt cures flips no condition and sends no
   * Warning (the log still has a WARN line for each).
   */
  boolean reported(ResourceID stack, Collection<? extends Throwable> errors) {
    return !allTransient(errors) || failures(stack) >= REPORT_TRANSIENT_AFTER;
  }

  /** The stack reconciled without error: its next failure starts from the first delay again. */
  void succeeded(ResourceID stack) {
    failures.remove(stack);
  }

  /** The stack was deleted: its count goes with it (a stack deleted while failing left one behind). */
  void forget(ResourceID stack) {
    failures.remove(stack);
  }

  /** Stacks with a count (for tests): only those failing now. */
  int tracked() {
    return failures.size();
  }

  /** Consecutive failures counted for the stack (0 after a success). */
  int failures(ResourceID stack) {
    Count c = failures.get(stack);
    return c == null ? 0 : c.failures();
  }

  private static boolean allTransient(Collection<? extends Throwable> errors) {
    return !errors.isEmpty() && errors.stream().allMatch(ErrorBackoff::isTransient);
  }

  /** True when the API server asked to try again, or never answered. */
  static boolean isTransient(Throwable error) {
    boolean noAnswer = false;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        return TRANSIENT_CODES.contains(k.getCode());
      }
      noAnswer |= t instanceof IOException || t instanceof TimeoutException
          || t instanceof KubernetesClientException;
    }
    return noAnswer;
  }

  private static Duration doubling(Duration first, Duration max, int consecutiveFailures) {
    int n = Math.max(1, consecutiveFailures);
    // 2^9 · 1 s is past both caps: no shift overflows.
    Duration d = n > 10 ? max : first.multipliedBy(1L << (n - 1));
    return d.compareTo(max) <= 0 ? d : max;
  }
}
