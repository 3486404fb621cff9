package io.pistack.operator.health;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The probe state of one target of one stack: the record last published, the consecutive failures,
 * whether the target is pending (a component that just started serving, hidden until its first probe
 * ends) and whether a probe is in flight. Mutable fields are guarded by the {@link TrackedStack} that
 * holds the slot.
 */
final class ProbeSlot {
  final ProbeTarget target;
  final AtomicInteger inFlight = new AtomicInteger();
  ProbeRecord published;
  int failures;
  boolean pending;

  ProbeSlot(ProbeTarget target) {
    this.target = target;
  }

  /**
   * Records the result of a probe and says whether a reconcile should hear of it. A healthy target
   * is reported unhealthy only after {@code failureThreshold} consecutive failures (unless it was
   * pending); an outcome the same as the one published is not published again; a pending target
   * was hidden from the last reconcile, so it is shown now even if unchanged.
   */
  boolean record(ProbeResult result, Instant now, int failureThreshold) {
    boolean wasPending = pending;
    pending = false;
    failures = result.healthy() ? 0 : failures + 1;
    ProbeRecord current = published;
    boolean tolerated = !result.healthy() && current != null && current.result().healthy()
        && failures < failureThreshold && !wasPending;
    boolean same = current != null && current.result().sameOutcome(result);
    if (!tolerated && !same) {
      published = new ProbeRecord(target, result, now);
    }
    return wasPending || (!tolerated && !same);
  }
}
