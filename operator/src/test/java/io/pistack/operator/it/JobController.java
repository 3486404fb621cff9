package io.pistack.operator.it;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Plays the Job and CronJob controllers and the kubelet for Jobs: runs a Job's pod to an end by
 * writing the pod (with the container's termination message, as the scripts leave it) and the
 * Job status the Job controller would write.
 */
public final class JobController {
  private JobController() {}

  /** The Job ran to success; its container left {@code message} (the script's JSON line). */
  public static void succeed(KubernetesClient client, Job job, Instant at, String message) {
    pod(client, job, 0, message, at);
    Job j = client.resource(job).get();
    j.setStatus(new JobStatusBuilder().withStartTime(at.minusSeconds(30).toString())
        .withCompletionTime(at.toString()).withSucceeded(1).withActive(0)
        .withConditions(
            new JobConditionBuilder().withType("SuccessCriteriaMet").withStatus("True")
                .withLastTransitionTime(at.toString()).build(),
            new JobConditionBuilder().withType("Complete").withStatus("True")
                .withLastTransitionTime(at.toString()).build())
        .build());
    client.resource(j).updateStatus();
  }

  /**
   * The Job failed: exit code {@code exitCode} with the script's JSON error line. With
   * {@code failJobRule} >= 0 the pod failure policy rule of that index failed it (the Job
   * controller's message names the exit code), else the backoff limit was reached.
   */
  public static void fail(KubernetesClient client, Job job, Instant at, int exitCode, String message,
      int failJobRule) {
    Pod pod = pod(client, job, exitCode, message, at);
    Job j = client.resource(job).get();
    String container = j.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
    String reason = failJobRule >= 0 ? "PodFailurePolicy" : "BackoffLimitExceeded";
    String text = failJobRule >= 0
        ? "Container " + container + " for pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName()
            + " failed with exit code " + exitCode + " matching FailJob rule at index " + failJobRule
        : "Job has reached the specified backoff limit";
    j.setStatus(new JobStatusBuilder().withStartTime(at.minusSeconds(30).toString()).withFailed(1).withActive(0)
        .withConditions(
            new JobConditionBuilder().withType("FailureTarget").withStatus("True").withReason(reason)
                .withMessage(text).withLastTransitionTime(at.toString()).build(),
            new JobConditionBuilder().withType("Failed").withStatus("True").withReason(reason)
                .withMessage(text).withLastTransitionTime(at.toString()).build())
        .build());
    client.resource(j).updateStatus();
  }

  /** A run of the CronJob, created the way the CronJob controller creates it. */
  public static Job runCronJob(KubernetesClient client, CronJob cronJob, String suffix) {
    var template = cronJob.getSpec().getJobTemplate();
    Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels());
    Job job = new JobBuilder().withNewMetadata()
        .withName(cronJob.getMetadata().getName() + "-" + suffix)
        .withNamespace(cronJob.getMetadata().getNamespace())
        .withLabels(labels)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
            .withName(cronJob.getMetadata().getName()).withUid(cronJob.getMetadata().getUid())
            .withController(true).build())
        .endMetadata()
        .withSpec(template.getSpec())
        .build();
    return client.resource(job).create();
  }

  private static Pod pod(KubernetesClient client, Job job, int exitCode, String message, Instant at) {
    String container = job.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
    Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
    labels.put("job-name", job.getMetadata().getName());
    labels.put("batch.kubernetes.io/job-name", job.getMetadata().getName());
    Pod pod = client.resource(new PodBuilder().withNewMetadata()
        .withName(job.getMetadata().getName() + "-" + Long.toHexString(at.toEpochMilli() & 0xfffff))
        .withNamespace(job.getMetadata().getNamespace()).withLabels(labels)
        // The Job controller owns its pods: the operator reads only a Job's own pods (by owner uid).
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
            .withName(job.getMetadata().getName()).withUid(job.getMetadata().getUid()).withController(true).build())
        .endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName(container)
        .withImage(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endContainer()
        .endSpec().build()).create();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder()
        .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
        .withContainerStatuses(new ContainerStatusBuilder().withName(container).withReady(false)
            .withNewState().withNewTerminated().withExitCode(exitCode).withMessage(message)
            .withFinishedAt(at.toString()).withReason(exitCode == 0 ? "Completed" : "Error").endTerminated()
            .endState().build())
        .build());
    return client.resource(pod).updateStatus();
  }
}
