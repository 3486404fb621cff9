package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;

/**
 * The reconcile's {@link LifecyclePlan}: decided once from the informer caches and kept in the
 * reconcile's context, so the reconciler and every dependent see the same decision.
 */
public final class Plans {
  static final String KEY = "pi-operator.lifecycle-plan";
  static final String UNRECORDED = "pi-operator.unrecorded-jobs";

  private Plans() {}

  public static LifecyclePlan current(PiStack primary, Context<PiStack> context) {
    return decided(primary, context).plan();
  }

  /**
   * The Jobs the reconcile's plan was decided from. BackupJobsDependent acts on these, not on the
   * cache as it is by the time the workflow reaches it: a Job the plan saw (a finished restore kept as
   * its record) that is deleted meanwhile (TTL, kubectl, the garbage collector finishing an orphaning
   * delete) would otherwise look missing and be created again, running the same restore a second time.
   */
  static java.util.List<Job> observedJobs(PiStack primary, Context<PiStack> context) {
    return decided(primary, context).jobs();
  }

  private record Decided(LifecyclePlan plan, java.util.List<Job> jobs) {}

  private static Decided decided(PiStack primary, Context<PiStack> context) {
    var shared = context.managedWorkflowAndDependentResourceContext();
    return shared.get(KEY, Decided.class).orElseGet(() -> {
      java.util.List<Job> jobs = java.util.List.copyOf(StackJobs.of(primary, context));
      Decided d = new Decided(decide(primary, context, jobs), jobs);
      shared.put(KEY, d);
      return d;
    });
  }

  /**
   * Finished Jobs whose outcome (backup name, size, restore result, read from their pod's
   * termination message) the status has not recorded yet. They are kept until it has: deleting
   * one first, in a reconcile whose status write then fails, would lose its outcome for good.
   */
  public static void keepUnrecorded(Context<PiStack> context, java.util.Set<String> jobNames) {
    context.managedWorkflowAndDependentResourceContext().put(UNRECORDED, java.util.Set.copyOf(jobNames));
  }

  @SuppressWarnings("unchecked")
  static java.util.Set<String> unrecorded(Context<PiStack> context) {
    return context.managedWorkflowAndDependentResourceContext().get(UNRECORDED, java.util.Set.class)
        .orElse(java.util.Set.of());
  }

  private static LifecyclePlan decide(PiStack primary, Context<PiStack> context, java.util.List<Job> jobs) {
    return LifecyclePlan.decide(Resolved.of(primary, context), context.getSecondaryResources(Deployment.class),
        jobs, context.getSecondaryResource(StatefulSet.class),
        context.getSecondaryResources(io.fabric8.kubernetes.api.model.Pod.class));
  }
}
