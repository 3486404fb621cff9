package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.dependent.Pass;
import io.pistack.operator.metrics.OperatorMetrics;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SpecWarnings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The status stage and its one writer: takes the decision ({@link StatusDecision}: the next status and when to
 * look again), records its side effects ({@link StatusRecorder}: the Events of its transition, the metrics, a
 * creation's pace), and writes it only when it changed, a creation's progress at its pace. The write (server-side
 * apply of the status) also puts the result in the primary's cache, so a reconcile that starts before the watch
 * delivers it compares against the new status and does not write it again.
 */
public final class StatusWriter {
  private final StatusDecision decision;
  private final StatusRecorder recorder;

  public StatusWriter(StackEvents events, OperatorMetrics metrics, Clock clock) {
    this.decision = new StatusDecision(clock);
    this.recorder = new StatusRecorder(events, metrics, clock);
  }

  /**
   * The status after an applied reconcile, from the reconcile's values and the observe stage's snapshot (the
   * parameters are {@link StatusDecision#decide}'s): decided, announced and recorded, written when it changed.
   *
   * @return the reconcile's end: rescheduled at the earlier of the decision's recheck and the end of a held
   *     creation's wait, else not rescheduled
   */
  public UpdateControl<PiStack> finish(Context<PiStack> context, Pass pass, ReferencedSecrets.Check secrets,
      List<SpecWarnings.Warning> advice, Optional<String> applyError, Optional<Duration> retry, Snapshot seen) {
    return end(pass.stack().source(), context, decision.decide(pass, secrets, advice, applyError, retry, seen));
  }

  /** The status of a stack the spec stage stopped ({@code why}), looked at again after {@code recheck}. */
  public UpdateControl<PiStack> stopped(ResolvedStack resolved, Context<PiStack> context, Observation why,
      Optional<Duration> recheck) {
    return end(resolved.source(), context, decision.stopped(resolved, why, recheck));
  }

  private UpdateControl<PiStack> end(PiStack stack, Context<PiStack> context, StatusDecision.Decided decided) {
    return when(stack, context, decided.status(), decided.recheck())
        .map(d -> UpdateControl.<PiStack>noUpdate().rescheduleAfter(d))
        .orElseGet(UpdateControl::noUpdate);
  }

  private Optional<Duration> when(PiStack stack, Context<PiStack> context, PiStackStatus next,
      Optional<Duration> recheck) {
    // A creation's progress waits for its turn (CreationProgress); this reconcile comes again then.
    Optional<Duration> held = recorder.record(stack, next, true);
    if (held.isPresent()) {
      return Optional.of(recheck.filter(r -> r.compareTo(held.get()) < 0).orElse(held.get()));
    }
    if (!next.equals(stack.getStatus())) {
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
    recorder.record(stack, failed, false);
    if (!failed.equals(stack.getStatus())) {
      write(stack, failed, context);
    }
  }

  /** A deleted stack's creation pace goes with it. */
  public void forget(ResourceID id) {
    recorder.forget(id);
  }

  private void write(PiStack stack, PiStackStatus next, Context<PiStack> context) {
    PiStack patch = new PiStack();
    patch.setMetadata(new ObjectMetaBuilder()
        .withName(stack.getMetadata().getName()).withNamespace(stack.getMetadata().getNamespace())
        .build());
    patch.setStatus(next);
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(stack, patch, context);
    recorder.written(stack, next);
  }
}
