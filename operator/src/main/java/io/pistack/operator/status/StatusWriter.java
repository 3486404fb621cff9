package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.metrics.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The one writer of a PiStack's status: takes the decision ({@link StatusAggregator}), records the
 * Events of its transition ({@link TransitionEvents}), mirrors it into the metrics ({@link StatusMetrics}),
 * and writes it only when it changed, a creation's progress at its pace ({@link CreationProgress}). The
 * write (server-side apply of the status) also puts the result in the primary's cache, so a reconcile
 * that starts before the watch delivers it compares against the new status and does not write it again.
 */
public final class StatusWriter {
  private final StatusAggregator decision;
  private final StackEvents events;
  private final StatusMetrics metrics;
  private final CreationProgress creations = new CreationProgress();
  private final Clock clock;

  public StatusWriter(StackEvents events, OperatorMetrics metrics, Clock clock) {
    this.decision = new StatusAggregator(clock);
    this.events = events;
    this.metrics = new StatusMetrics(metrics);
    this.clock = clock;
  }

  /**
   * Decides the status after a reconcile, announces and records it, and writes it when it changed.
   *
   * @param lifecycle what the backup and restore Jobs say; null when nothing was applied
   * @param advice the spec stage's advice (SpecCheck#advice), empty for a stack it stopped
   * @return the reconcile's end: rescheduled at the earlier of {@code recheck} and the end of a held creation's
   *     wait, else not rescheduled
   */
  public io.javaoperatorsdk.operator.api.reconciler.UpdateControl<PiStack> finish(ResolvedStack resolved,
      Context<PiStack> context, Observation seen, BackupRestoreStatus.Seen lifecycle, Optional<Duration> recheck,
      java.util.List<io.pistack.operator.model.SpecWarnings.Warning> advice) {
    return when(resolved, context, seen, lifecycle, recheck, advice)
        .map(d -> io.javaoperatorsdk.operator.api.reconciler.UpdateControl.<PiStack>noUpdate().rescheduleAfter(d))
        .orElseGet(io.javaoperatorsdk.operator.api.reconciler.UpdateControl::noUpdate);
  }

  private Optional<Duration> when(ResolvedStack resolved, Context<PiStack> context, Observation seen,
      BackupRestoreStatus.Seen lifecycle, Optional<Duration> recheck,
      java.util.List<io.pistack.operator.model.SpecWarnings.Warning> advice) {
    PiStack stack = resolved.source();
    PiStackStatus next = decision.aggregate(resolved, seen, lifecycle, advice);
    announce(stack, next);
    metrics.record(stack, next);
    if (!next.equals(stack.getStatus())) {
      // A creation's progress waits for its turn (CreationProgress); this reconcile comes again then.
      Optional<Duration> held = creations.hold(ResourceID.fromResource(stack), stack.getStatus(), next,
          clock.instant());
      if (held.isPresent()) {
        return Optional.of(recheck.filter(r -> r.compareTo(held.get()) < 0).orElse(held.get()));
      }
      write(stack, next, context);
    }
    return recheck;
  }

  /**
   * After a reconcile that failed outside the managed workflow (see StatusAggregator#failed): announced,
   * recorded, and written when it changed; never held back.
   */
  public void failed(PiStack stack, String summary, Context<PiStack> context) {
    PiStackStatus failed = decision.failed(stack, summary);
    announce(stack, failed);
    metrics.record(stack, failed);
    if (!failed.equals(stack.getStatus())) {
      write(stack, failed, context);
    }
  }

  /** A deleted stack's creation pace goes with it. */
  public void forget(ResourceID id) {
    creations.forget(id);
  }

  private void write(PiStack stack, PiStackStatus next, Context<PiStack> context) {
    PiStack patch = new PiStack();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(stack.getMetadata().getName()).withNamespace(stack.getMetadata().getNamespace())
        .build());
    patch.setStatus(next);
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(stack, patch, context);
    creations.written(ResourceID.fromResource(stack), stack.getStatus(), next, clock.instant());
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
