package io.pistack.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.status.StatusWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The back-off bookkeeping of the reconciles (ErrorBackoff holds the counts). A failed apply is
 * retried with a growing back-off, which wins over the short rechecks (Recheck); a "try again" answer
 * (409, 429, 5xx, none) is only reported once it repeats. An error that escaped the reconcile (the
 * status write, a Secret or Job lookup, the credentials ownership sync): the stack says so
 * (StatusAggregator#failed: Ready=False ReconcileFailed, with a secret-free summary), written only
 * when it changed, and the next attempt follows the same back-off, for as long as the error lasts
 * (never "retries spent" with a frozen status). A conflict (409) only means this view was stale:
 * nothing is written, the retry reads the newer stack.
 */
final class Failures {
  private static final Logger LOG = LoggerFactory.getLogger(PiStackReconciler.class);

  private final ErrorBackoff backoff = new ErrorBackoff();
  private final StatusWriter status;

  Failures(StatusWriter status) {
    this.status = status;
  }

  /**
   * @param retry the back-off's delay, when the apply failed
   * @param reported the apply's failure, when the status reports it (ErrorBackoff#reported)
   */
  record AfterApply(Optional<Duration> retry, Optional<String> reported) {}

  /**
   * Counts a failed apply; a successful one is {@link #settled} once its status is written.
   * @param workflow the workflow's result, empty when nothing was applied (a paused stack)
   */
  AfterApply applied(PiStack stack, Context<PiStack> context,
      Optional<io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult> workflow) {
    // One secret-free line per failed dependent, empty when none failed.
    Optional<String> error = workflow.flatMap(ErrorSummary::of);
    List<Exception> errors = workflow.map(w -> List.copyOf(w.getErroredDependents().values())).orElse(List.of());
    Optional<Duration> retry = error.isPresent()
        ? Optional.of(backoff.failed(stack, context, errors, this::forget)) : Optional.empty();
    boolean reportIt = backoff.reported(ResourceID.fromResource(stack), errors);
    return new AfterApply(retry, error.filter(e -> reportIt));
  }

  /** The reconcile's status is written: after an apply without error, the next failure starts from the first delay. */
  void settled(PiStack stack, AfterApply after) {
    if (after.retry().isEmpty()) {
      backoff.succeeded(ResourceID.fromResource(stack));
    }
  }

  /** Reports an error that escaped the reconcile and gives the delay before the next attempt. */
  Duration escaped(PiStack stack, Context<PiStack> context, Exception e) {
    String summary = ErrorSummary.of(e);
    Duration next = backoff.failed(stack, context, List.of(e), this::forget);
    LOG.warn("reconciling {}/{} failed ({} in a row), next attempt in {}s: {}", stack.getMetadata().getNamespace(),
        stack.getMetadata().getName(), backoff.failures(ResourceID.fromResource(stack)), next.toSeconds(), summary);
    if (!ErrorSummary.isConflict(e)) {
      try {
        status.failed(stack, summary, context);
      } catch (RuntimeException writeFailed) {
        LOG.warn("writing the status of {}/{} failed: {}", stack.getMetadata().getNamespace(),
            stack.getMetadata().getName(), ErrorSummary.of(writeFailed));
      }
    }
    return next;
  }

  /** A deleted stack's failure count and creation pace go with it (DeletedStacks). */
  void forget(ResourceID id) {
    backoff.forget(id);
    status.forget(id);
  }

  /** Stacks the back-off holds a failure count for: those failing now. */
  int tracked() {
    return backoff.tracked();
  }
}
