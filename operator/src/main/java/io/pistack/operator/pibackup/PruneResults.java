package io.pistack.operator.pibackup;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.model.JobOutcome;
import io.pistack.operator.model.S3PruneJobs;
import io.pistack.operator.observe.JobTerminationMessages;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps the termination message of a PiBackup's failed prune Job ({@link S3PruneJobs}) on that Job, as the
 * annotation {@link S3PruneJobs#RESULT}: read once (one list of the Job's pods), then from the cache, by this
 * controller ({@link PruneStatus}) and by the PiStack reconcile that decides on the Job (S3BackupPruner: a lock
 * that has expired replaces it). A pod that left no message (it is gone) gets the Job's own failure text. The
 * message is the script's one-line JSON: never a credential.
 */
@ApiAccess(group = "batch", resource = "jobs", verbs = "patch",
    why = "keeps a failed prune Job's termination message on it (pistack.io/prune-result), read once")
final class PruneResults {
  private PruneResults() {}

  /** {@code jobs}, with {@code backup}'s failed prune Job as patched when its result was not kept yet. */
  static Collection<Job> recorded(KubernetesClient client, PiBackup backup, Collection<Job> jobs) {
    Optional<Job> prune = S3PruneJobs.of(backup, jobs);
    if (prune.isEmpty() || !JobOutcome.of(prune.get()).failed() || (prune.get().getMetadata().getAnnotations() != null
        && prune.get().getMetadata().getAnnotations().containsKey(S3PruneJobs.RESULT))) {
      return jobs;
    }
    Job j = prune.get();
    String message = JobTerminationMessages.read(client, List.of(j)).get(j.getMetadata().getName());
    if (message == null) {
      message = "{\"error\":" + Serialization.asJson("the prune pod left no message: " + JobOutcome.of(j).message())
          + "}";
    }
    Map<String, Object> patch = Map.of("metadata", Map.of("annotations", Map.of(S3PruneJobs.RESULT, message)));
    Job patched = client.batch().v1().jobs().inNamespace(j.getMetadata().getNamespace())
        .withName(j.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    List<Job> out = new ArrayList<>(jobs);
    out.remove(j);
    out.add(patched);
    return out;
  }
}
