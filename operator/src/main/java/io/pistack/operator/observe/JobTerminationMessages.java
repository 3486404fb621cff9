package io.pistack.operator.observe;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.access.ApiAccess;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-line JSON the backup and restore scripts leave as their container's termination message
 * (name, size, or the error). Read from the Job's pods (listed by label, kept only when the Job owns them), only for the few finished Jobs
 * whose outcome the status does not hold yet, so a converged stack reads nothing. The scripts
 * never print credentials.
 */
@ApiAccess(resource = "pods", verbs = "list",
    why = "reads the termination message of a finished backup or restore pod, by its job-name label")
public final class JobTerminationMessages {
  /** The label the Job controller puts on a Job's pods. */
  static final String JOB_NAME_LABEL = "job-name";
  private static final Logger LOG = LoggerFactory.getLogger(JobTerminationMessages.class);

  private JobTerminationMessages() {}

  /** Job name to the newest terminated container's message; Jobs without one are absent. */
  public static Map<String, String> read(KubernetesClient client, Collection<Job> jobs) {
    Map<String, String> out = new HashMap<>();
    for (Job job : jobs) {
      try {
        var pods = client.pods().inNamespace(job.getMetadata().getNamespace())
            .withLabel(JOB_NAME_LABEL, job.getMetadata().getName()).list().getItems();
        // The Job's own pods (owner uid): a pod that only carries the job-name label is not its outcome.
        newest(pods.stream().filter(p -> io.pistack.operator.model.Ownership.ownedBy(p, job)).toList())
            .ifPresent(m -> out.put(job.getMetadata().getName(), m));
      } catch (KubernetesClientException e) {
        LOG.debug("cannot read the pods of Job {}: HTTP {}", job.getMetadata().getName(), e.getCode());
      }
    }
    return out;
  }

  static Optional<String> newest(Collection<Pod> pods) {
    return pods.stream()
        .filter(p -> p.getStatus() != null)
        // init containers too: with an S3 target a failed backup.sh (or s3.sh fetch) is an init container
        .flatMap(p -> Stream.concat(Stream.ofNullable(p.getStatus().getInitContainerStatuses()),
            Stream.ofNullable(p.getStatus().getContainerStatuses())).flatMap(List::stream))
        .map(ContainerStatus::getState)
        .filter(s -> s != null && s.getTerminated() != null && s.getTerminated().getMessage() != null
            && !s.getTerminated().getMessage().isBlank())
        .map(s -> s.getTerminated())
        .max(Comparator.comparing(t -> t.getFinishedAt() == null ? "" : t.getFinishedAt()))
        .map(t -> t.getMessage().trim());
  }
}
