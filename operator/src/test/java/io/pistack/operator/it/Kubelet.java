package io.pistack.operator.it;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Plays the Deployment/StatefulSet controllers and the kubelet: writes the status they would. */
public final class Kubelet {
  private Kubelet() {}

  public static void markAvailable(KubernetesClient client, String ns) {
    client.apps().deployments().inNamespace(ns).list().getItems().forEach(d -> available(client, d));
    client.apps().statefulSets().inNamespace(ns).list().getItems().forEach(s -> ready(client, s));
  }

  public static void available(KubernetesClient client, Deployment d) {
    int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
    d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
        .withReplicas(replicas).withReadyReplicas(replicas).withUpdatedReplicas(replicas)
        .withAvailableReplicas(replicas).build());
    client.resource(d).updateStatus();
  }

  public static void ready(KubernetesClient client, StatefulSet s) {
    s.setStatus(new StatefulSetStatusBuilder().withObservedGeneration(s.getMetadata().getGeneration())
        .withReplicas(1).withReadyReplicas(1).withAvailableReplicas(1).withCurrentReplicas(1).withUpdatedReplicas(1)
        .build());
    client.resource(s).updateStatus();
  }
}
