package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.desired.DesiredStack;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import java.util.List;
import java.util.Set;

/**
 * What one reconcile decided before it applies anything, the one value it keeps in JOSDK's context: computed once
 * by the reconciler before the workflow runs, read by every dependent and precondition through {@link #of}. Nothing
 * computes it lazily: a dependent reached without it is a bug, and fails.
 *
 * @param stack the spec, resolved once
 * @param plan the restore and pre-upgrade gates and the drain, decided from the caches
 * @param observedJobs the stack's Jobs the plan was decided from. The Jobs dependent acts on these, not on the cache
 *     as it is by the time the workflow reaches it: a Job the plan saw (a finished restore kept as its record) that
 *     is deleted meanwhile would otherwise look missing and be created again, running the same restore twice
 * @param desired every child the operator wants, built from the above
 */
public record Pass(ResolvedStack stack, LifecyclePlan plan, List<Job> observedJobs, DesiredStack desired) {
  private static final String KEY = Pass.class.getName();

  public Pass {
    observedJobs = List.copyOf(observedJobs);
  }

  /**
   * Finished Jobs whose outcome the status has not recorded yet, as the plan decided
   * ({@link LifecyclePlan#unrecorded}): kept until it has.
   */
  public Set<String> unrecorded() {
    return plan.unrecorded();
  }

  /** Keeps this pass in the reconcile's context, for the workflow's dependents. */
  public void keep(Context<PiStack> context) {
    context.managedWorkflowAndDependentResourceContext().put(KEY, this);
  }

  /** The reconcile's pass; fails when the reconciler did not keep one before the workflow. */
  public static Pass of(Context<PiStack> context) {
    return context.managedWorkflowAndDependentResourceContext().get(KEY, Pass.class)
        .orElseThrow(() -> new IllegalStateException("no reconcile pass in the context: the reconciler keeps one"
            + " before it runs the workflow"));
  }
}
