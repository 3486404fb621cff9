package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.S3PruneJobs;
import io.pistack.operator.model.S3Pruning;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code spec.backup.keep} on an S3 target, the requests of {@link S3Pruning}'s decisions: a prune Job per PiBackup
 * beyond keep ({@link S3PruneJobs}, owned by the PiBackup), the PiBackup deleted once its Job succeeded, a refused
 * Job replaced once its Object Lock has expired. Reads the caches: the stack's Jobs (the Jobs informer selects every
 * Job the operator labels; only the Job named after the PiBackup's uid and owned by it counts) and its PiBackups. A
 * failed prune Job's termination message is read once and kept on the Job ({@link S3PruneJobs#RESULT}) by the
 * PiBackup controller, which shows it in the PiBackup's status; until then the Job is left alone. Nothing is
 * pruned while a restore of the stack, or of a stack that restores from this namespace's PiBackups (a clone), is in
 * progress. A reconcile with nothing to do makes no request.
 */
@ApiAccess(group = "batch", resource = "jobs", verbs = {"create", "delete"},
    why = "keep on an S3 target: creates a PiBackup's prune Job (s3.sh delete), replaces it once an Object Lock has"
        + " expired")
@ApiAccess(group = PiStack.GROUP, resource = "pibackups", verbs = "delete",
    why = "keep on an S3 target deletes a PiBackup once its prune Job deleted its data")
final class S3BackupPruner {
  private static final Logger LOG = LoggerFactory.getLogger(S3BackupPruner.class);

  private S3BackupPruner() {}

  /**
   * @param mine the stack's PiBackups (spec.stack), from the cache
   * @param jobs the stack's Jobs ({@link StackJobs}), from the cache
   * @param restoring a restore of the stack is in progress ({@link BackupRecorder#restoring})
   */
  static void sync(ResolvedStack resolved, PiStack stack, Context<PiStack> context, List<PiBackup> mine,
      List<Job> jobs, boolean restoring) {
    if (!resolved.backup().enabled() || resolved.backup().s3().isEmpty()) {
      return;
    }
    boolean inUse = restoring || cloneRestoring(stack, context);
    KubernetesClient client = context.getClient();
    String ns = stack.getMetadata().getNamespace();
    Map<String, Job> pruneJobs = pruneJobs(mine, jobs);
    Map<String, S3Pruning.PruneJob> seen = new HashMap<>();
    pruneJobs.forEach((backup, job) -> seen.put(backup, S3PruneJobs.seen(job)));
    for (S3Pruning.Decision d : S3Pruning.plan(resolved.backup(), mine, seen, inUse, java.time.Instant.now())) {
      PiBackup backup = mine.stream().filter(b -> d.backup().equals(b.getMetadata().getName())).findFirst()
          .orElseThrow();
      switch (d.action()) {
        case CREATE_JOB -> create(client, S3PruneJobs.build(resolved, backup));
        case DELETE_BACKUP -> {
          LOG.info("PiBackup {}/{}: pruned (spec.backup.keep {}; {})", ns, d.backup(), resolved.backup().keep(),
              d.message());
          client.resources(PiBackup.class).inNamespace(ns).withName(d.backup()).delete();
        }
        case REPLACE_JOB -> {
          LOG.info("PiBackup {}/{}: {}; its prune Job is made again", ns, d.backup(), d.message());
          client.batch().v1().jobs().inNamespace(ns).withName(pruneJobs.get(d.backup()).getMetadata().getName())
              .delete();
        }
        case WAIT, LOCKED, FAILED -> { } // the PiBackup's status says why (the PiBackup controller)
      }
    }
  }

  /** The prune Job of each PiBackup that has one, by the PiBackup's name. */
  static Map<String, Job> pruneJobs(List<PiBackup> mine, List<Job> jobs) {
    Map<String, Job> out = new HashMap<>();
    mine.forEach(b -> S3PruneJobs.of(b, jobs).ifPresent(j -> out.put(b.getMetadata().getName(), j)));
    return out;
  }

  private static void create(KubernetesClient client, Job job) {
    try {
      client.resource(job).create();
      LOG.info("Job {}/{} deletes the data of a PiBackup beyond spec.backup.keep", job.getMetadata().getNamespace(),
          job.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) { // 409: made by an earlier reconcile, not in the cache yet: never a second one
        throw e;
      }
    }
  }

  /** Another stack restores from this namespace's PiBackups (a clone: piBackup or before) and has not finished. */
  static boolean cloneRestoring(PiStack stack, Context<PiStack> context) {
    return restoringFrom(stack.getMetadata().getNamespace(), context.getPrimaryCache().list());
  }

  /** Of {@code stacks}, one restores from {@code ns}'s PiBackups (piBackup or before) and has not finished. */
  static boolean restoringFrom(String ns, java.util.stream.Stream<PiStack> stacks) {
    return stacks.filter(s -> RestoreReaders.reads(s, ns)).anyMatch(s -> {
      RestoreStatus r = s.getStatus() == null ? null : s.getStatus().restore;
      return r == null || r.phase == null || r.phase == RestoreStatus.Phase.Pending
          || r.phase == RestoreStatus.Phase.Running;
    });
  }
}
