package io.pistack.operator.realapi;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.backup.PodScripts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the kubelet would do with a pod whose containers a test ran itself (PodScripts): kwok runs no container. */
final class KubeletStandIn {
  private KubeletStandIn() {}

  /** The pod's containers exited 0, each leaving its termination message; the last is the main container. */
  static void succeed(KubernetesClient admin, Pod pod, List<PodScripts.Ran> ran) {
    Instant start = Instant.now().minusSeconds(ran.size());
    List<ContainerStatus> statuses = new ArrayList<>();
    for (int i = 0; i < ran.size(); i++) {
      PodScripts.Ran r = ran.get(i);
      statuses.add(new ContainerStatusBuilder().withName(r.container()).withImage("x").withImageID("")
          .withReady(false).withRestartCount(0).withNewState().withNewTerminated().withExitCode(0)
          .withReason("Completed").withMessage(r.message()).withStartedAt(start.plusSeconds(i).toString())
          .withFinishedAt(start.plusSeconds(i + 1).toString()).endTerminated().endState().build());
    }
    await().atMost(RealApiStack.T).ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k
        && k.getCode() == 409).untilAsserted(() -> admin.pods().inNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName()).editStatus(p -> {
          p.getStatus().setPhase("Succeeded");
          p.getStatus().setInitContainerStatuses(statuses.subList(0, statuses.size() - 1));
          p.getStatus().setContainerStatuses(statuses.subList(statuses.size() - 1, statuses.size()));
          return p;
        }));
  }

  /** Cordons (or uncordons) every node: new pods stay Pending, running ones are left alone. */
  static void cordon(KubernetesClient admin, boolean unschedulable) {
    admin.nodes().list().getItems().forEach(n -> admin.nodes().withName(n.getMetadata().getName()).edit(node -> {
      node.getSpec().setUnschedulable(unschedulable ? true : null);
      return node;
    }));
  }
}
