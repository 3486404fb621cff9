package io.pistack.operator.status;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.metrics.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The status writer's side effects, in one place: the Events of a status transition ({@link TransitionEvents},
 * deduplicated by {@link StackEvents}), the metrics mirrored from it ({@link StatusMetrics}), and the pace of a
 * creation's progress ({@link CreationProgress}: how long a changed status is held back, and when it was written).
 * The writer ({@link StatusWriter}) enters the decision and this recorder, and writes.
 */
final class StatusRecorder {
  private final StackEvents events;
  private final StatusMetrics metrics;
  private final CreationProgress creations = new CreationProgress();
  private final Clock clock;

  StatusRecorder(StackEvents events, OperatorMetrics metrics, Clock clock) {
    this.events = events;
    this.metrics = new StatusMetrics(metrics);
    this.clock = clock;
  }

  /**
   * Announces the transition from the stored status to {@code next} and mirrors {@code next} into the metrics.
   *
   * @param paced whether a creation's progress may wait (not after a failed reconcile: never held back)
   * @return how long to hold {@code next} back instead of writing it, or empty: write it now if it changed
   */
  Optional<Duration> record(PiStack stack, PiStackStatus next, boolean paced) {
    announce(stack, next);
    metrics.record(stack, next);
    return paced && !next.equals(stack.getStatus())
        ? creations.hold(ResourceID.fromResource(stack), stack.getStatus(), next, clock.instant())
        : Optional.empty();
  }

  /** {@code next} was written over the stack's stored status. */
  void written(PiStack stack, PiStackStatus next) {
    creations.written(ResourceID.fromResource(stack), stack.getStatus(), next, clock.instant());
  }

  /** A deleted stack's creation pace goes with it. */
  void forget(ResourceID id) {
    creations.forget(id);
  }

  /** Events for the transitions between the stored status and the next one (see TransitionEvents). */
  private void announce(PiStack stack, PiStackStatus after) {
    String version = stack.getSpec() == null ? "" : String.valueOf(stack.getSpec().version);
    for (TransitionEvents.Note n : TransitionEvents.between(stack.getStatus(), after, version)) {
      if (n.warning()) {
        events.warning(stack, n.reason(), n.message());
      } else {
        events.normal(stack, n.reason(), n.message());
      }
    }
  }
}
