package io.pistack.operator.observe;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.StackJobs;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.UnrecordedJobs;
import java.util.List;
import java.util.Map;

/**
 * The observe stage's one read of the stack's Jobs after the apply: the Jobs ({@link StackJobs}) and the termination
 * messages of those whose outcome the status lacks ({@link UnrecordedJobs}), read from their pods
 * ({@link JobTerminationMessages}) only for those, so a converged stack reads no pod.
 *
 * @param jobs the stack's backup and restore Jobs, as the cache holds them
 * @param messages Job name to its pod's termination message, for the Jobs needing detail only
 */
@ApiAccess.PassesClient("hands context.getClient() to JobTerminationMessages")
record ObservedJobs(List<Job> jobs, Map<String, String> messages) {

  /** @param plan the lifecycle gates this reconcile decided (which Jobs' outcome the status still lacks) */
  static ObservedJobs read(ResolvedStack resolved, LifecyclePlan plan, Context<PiStack> context) {
    List<Job> jobs = StackJobs.of(resolved.source(), context);
    List<Job> needed = UnrecordedJobs.of(resolved, plan, jobs);
    return new ObservedJobs(jobs,
        needed.isEmpty() ? Map.of() : JobTerminationMessages.read(context.getClient(), needed));
  }
}
