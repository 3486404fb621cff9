package io.pistack.operator.it;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Plays the Deployment/StatefulSet controllers and the kubelet: writes the status they would, and
 * creates the pods of a Deployment (with its template's labels) and writes their container states.
 */
public final class Kubelet {
  private Kubelet() {}

  /**
   * Waits until the stack's workloads exist (its {@code deployments} Deployments and, with an embedded database, its
   * StatefulSet), then marks them available. The workflow applies the Deployments and the database side by side (the
   * StatefulSet after its two Secrets), so "five Deployments" alone can be seen before the StatefulSet exists on a
   * loaded machine, and a database never marked keeps the stack from Ready (stop 38's CI: PreUpgradeBackupTest).
   */
  public static void markAvailableOnceCreated(KubernetesClient client, String ns, int deployments) {
    org.awaitility.Awaitility.await().ignoreExceptions().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
      boolean embedded = client.resources(io.pistack.operator.api.v1alpha1.PiStack.class).inNamespace(ns).list()
          .getItems().stream().anyMatch(st -> st.getSpec().database == null || st.getSpec().database.external == null);
      return client.apps().deployments().inNamespace(ns).list().getItems().size() == deployments
          && (!embedded || !client.apps().statefulSets().inNamespace(ns).list().getItems().isEmpty());
    });
    markAvailable(client, ns);
  }

  public static void markAvailable(KubernetesClient client, String ns) {
    client.apps().deployments().inNamespace(ns).list().getItems().forEach(d -> available(client, d));
    client.apps().statefulSets().inNamespace(ns).list().getItems().forEach(s -> ready(client, s));
  }

  public static void available(KubernetesClient client, Deployment d) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    replicas(client, d, replicas, replicas, replicas);
  }

  /** The Deployment controller's view: ready, updated and available pods of the current spec. */
  public static void replicas(KubernetesClient client, Deployment d, int ready, int updated, int available,
      DeploymentCondition... conditions) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    Deployment fresh = client.resource(d).get();
    fresh.setStatus(new DeploymentStatusBuilder().withObservedGeneration(fresh.getMetadata().getGeneration())
        .withReplicas(replicas).withReadyReplicas(ready).withUpdatedReplicas(updated)
        .withAvailableReplicas(available).withConditions(List.of(conditions)).build());
    client.resource(fresh).updateStatus();
  }

  public static DeploymentCondition progressDeadlineExceeded(String rsName) {
    return new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
        .withReason("ProgressDeadlineExceeded")
        .withMessage("ReplicaSet \"" + rsName + "\" has timed out progressing.").build();
  }

  public static void ready(KubernetesClient client, StatefulSet s) {
    s.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(s.getMetadata().getGeneration())
        .withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).withCurrentReplicas(1).withUpdatedReplicas(1)
        .build());
    client.resource(s).updateStatus();
  }

  /** A running, ready pod of the Deployment, named {@code <deployment>-<suffix>}, with its template's labels. */
  public static Pod runPod(KubernetesClient client, Deployment d, String suffix) {
    var template = d.getSpec().getTemplate();
    Pod pod = client.resource(new PodBuilder().withNewMetadata()
        .withName(d.getMetadata().getName() + "-" + suffix).withNamespace(d.getMetadata().getNamespace())
        .withLabels(template.getMetadata().getLabels()).endMetadata()
        .withNewSpec().withContainers(template.getSpec().getContainers()).endSpec().build()).create();
    return setContainer(client, pod, cs -> running(cs));
  }

  /** Runs a ready pod for each desired replica of every Deployment and the database, and marks them available. */
  public static void startEverything(KubernetesClient client, String ns) {
    for (Deployment d : client.apps().deployments().inNamespace(ns).list().getItems()) {
      int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      for (int i = 0; i < replicas; i++) {
        runPod(client, d, "rs1-" + i);
      }
      available(client, d);
    }
    client.apps().statefulSets().inNamespace(ns).list().getItems().forEach(s -> ready(client, s));
  }

  /** Rewrites the pod's (single) container status. */
  public static Pod setContainer(KubernetesClient client, Pod pod, UnaryOperator<ContainerStatusBuilder> change) {
    Pod fresh = client.resource(pod).get();
    var container = fresh.getSpec().getContainers().get(0);
    ContainerStatusBuilder base = fresh.getStatus() != null && fresh.getStatus().getContainerStatuses() != null
        && !fresh.getStatus().getContainerStatuses().isEmpty()
        ? new ContainerStatusBuilder(fresh.getStatus().getContainerStatuses().get(0))
        : new ContainerStatusBuilder().withName(container.getName()).withImage(container.getImage())
            .withRestartCount(0);
    ContainerStatus cs = change.apply(base).build();
    fresh.setStatus(new PodStatusBuilder().withPhase("Running").withContainerStatuses(cs).build());
    return client.resource(fresh).updateStatus();
  }

  public static ContainerStatusBuilder running(ContainerStatusBuilder cs) {
    return cs.withReady(true).withStarted(true)
        .withState(new ContainerStateBuilder().withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning().build());
  }

  public static ContainerStatusBuilder waiting(ContainerStatusBuilder cs, String reason, String message) {
    return cs.withReady(false).withStarted(false)
        .withState(new ContainerStateBuilder().withNewWaiting().withReason(reason).withMessage(message).endWaiting().build());
  }

  public static ContainerStatusBuilder crashLooping(ContainerStatusBuilder cs, int exitCode, String lastReason) {
    ContainerState last = new ContainerStateBuilder().withNewTerminated().withExitCode(exitCode).withReason(lastReason)
        .withFinishedAt("2026-01-01T00:00:00Z").endTerminated().build();
    return waiting(cs, "CrashLoopBackOff", "back-off 40s restarting failed container")
        .withLastState(last).withRestartCount(3);
  }
}
