package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Ownership;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The stack's Jobs, matched by owner uid ({@link Ownership#ownedBy}), never by label: the Jobs the operator runs
 * (owned by this PiStack), the runs of its backup CronJob (owned by that CronJob, itself owned by this PiStack) and
 * the Jobs of its PiBackups (owned by a PiBackup naming this stack, {@link StackBackups}).
 * The Job informer maps Jobs to stacks by their instance label, which anyone can copy: a Job or pod carrying the
 * stack's labels is neither counted as an outcome nor deleted. Every reader of the stack's Jobs goes through here.
 */
public final class StackJobs {
  private StackJobs() {}

  public static List<Job> of(PiStack primary, Context<PiStack> context) {
    Set<String> owners = owners(primary, context);
    return context.getSecondaryResources(Job.class).stream()
        .filter(j -> owners.stream().anyMatch(uid -> Ownership.ownedBy(j, uid)))
        .toList();
  }

  /** This PiStack's uid, its CronJob's, and its PiBackups' (their backup Jobs are the stack's backups too). */
  static Set<String> owners(PiStack primary, Context<PiStack> context) {
    Set<String> owners = new HashSet<>(StackBackups.uids(primary, context));
    owners.add(primary.getMetadata().getUid());
    context.getSecondaryResources(CronJob.class).stream()
        .filter(c -> Ownership.ownedBy(c, primary))
        .forEach(c -> owners.add(c.getMetadata().getUid()));
    return owners;
  }
}
