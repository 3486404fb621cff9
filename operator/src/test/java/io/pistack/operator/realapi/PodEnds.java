package io.pistack.operator.realapi;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.backup.PodScripts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The kubelet's part for a backup pod whose containers the test ran itself ({@link PodScripts}): the nodes cordoned
 * meanwhile (kwok then leaves new pods Pending), and the pod ended as the kubelet ends it, with each container's
 * exit code and termination message; and the CronJob controller's part: the run of a slot.
 */
final class PodEnds {
  private PodEnds() {}

  /** What the kubelet writes when the pod's containers exited 0, each leaving its termination message. */
  static void succeed(KubernetesClient admin, String ns, Pod pod, List<PodScripts.Ran> ran) {
    end(admin, ns, pod, ran, "Succeeded");
  }

  /** What the kubelet writes when the pod's last container exited non-zero ({@code ran}'s exit codes, messages). */
  static void fail(KubernetesClient admin, String ns, Pod pod, List<PodScripts.Ran> ran) {
    end(admin, ns, pod, ran, "Failed");
  }

  private static void end(KubernetesClient admin, String ns, Pod pod, List<PodScripts.Ran> ran, String phase) {
    Instant start = Instant.now().minusSeconds(ran.size());
    List<ContainerStatus> statuses = new ArrayList<>();
    for (int i = 0; i < ran.size(); i++) {
      PodScripts.Ran r = ran.get(i);
      statuses.add(new ContainerStatusBuilder().withName(r.container()).withImage("x").withImageID("")
          .withReady(false).withRestartCount(0).withNewState().withNewTerminated().withExitCode(r.exitCode())
          .withReason(r.exitCode() == 0 ? "Completed" : "Error").withMessage(r.message())
          .withStartedAt(start.plusSeconds(i).toString())
          .withFinishedAt(start.plusSeconds(i + 1).toString()).endTerminated().endState().build());
    }
    await().atMost(RealApiStack.T).ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k
        && k.getCode() == 409).untilAsserted(() ->
        admin.pods().inNamespace(ns).withName(pod.getMetadata().getName()).editStatus(p -> {
          p.getStatus().setPhase(phase);
          p.getStatus().setInitContainerStatuses(statuses.subList(0, statuses.size() - 1));
          p.getStatus().setContainerStatuses(statuses.subList(statuses.size() - 1, statuses.size()));
          return p;
        }));
  }

  /** The run of {@code cron} for the slot at {@code minute} (minutes since the epoch), as the CronJob controller makes it. */
  static Job cronJobRun(KubernetesClient admin, CronJob cron, long minute) {
    var template = cron.getSpec().getJobTemplate();
    return admin.resource(new JobBuilder().withNewMetadata().withName(cron.getMetadata().getName() + "-" + minute)
        .withNamespace(cron.getMetadata().getNamespace()).withLabels(template.getMetadata().getLabels())
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("CronJob")
            .withName(cron.getMetadata().getName()).withUid(cron.getMetadata().getUid()).withController(true)
            .withBlockOwnerDeletion(true).build())
        .endMetadata().withSpec(template.getSpec()).build()).create();
  }

  /** Cordons (or uncordons) every node: new pods stay Pending, running ones are left alone. */
  static void cordon(KubernetesClient admin, boolean unschedulable) {
    admin.nodes().list().getItems().forEach(n -> admin.nodes().withName(n.getMetadata().getName()).edit(node -> {
      node.getSpec().setUnschedulable(unschedulable ? true : null);
      return node;
    }));
  }
}
