package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;

/** Live objects as the controllers leave them, for the decision tests. */
final class Jobs {
  private Jobs() {}

  static Job active(Job job) {
    return new JobBuilder(job).withNewStatus().withActive(1).endStatus().build();
  }

  static Job succeeded(Job job, String at) {
    return new JobBuilder(job).withNewStatus().withSucceeded(1).withCompletionTime(at)
        .addToConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
            .withLastTransitionTime(at).build())
        .endStatus().build();
  }

  static Job failed(Job job, String at, String reason, String message) {
    return new JobBuilder(job).withNewStatus().withFailed(1)
        .addToConditions(new JobConditionBuilder().withType("Failed").withStatus("True").withReason(reason)
            .withMessage(message).withLastTransitionTime(at).build())
        .endStatus().build();
  }

  static Job refused(Job job, String at) {
    return failed(job, at, "PodFailurePolicy", "Container restore for pod ns/" + job.getMetadata().getName()
        + "-x1 failed with exit code 3 matching FailJob rule at index 0");
  }

  static Deployment deployment(String component, String version, Integer replicas, Integer running) {
    return new DeploymentBuilder().withNewMetadata().withName("pi-" + component)
        .addToLabels(Labels.COMPONENT, component).addToLabels(Labels.VERSION, version).endMetadata()
        .withNewSpec().withReplicas(replicas).endSpec()
        .withNewStatus().withReplicas(running).endStatus().build();
  }

  static StatefulSet database(int ready) {
    return new StatefulSetBuilder().withNewMetadata().withName("pi-db").endMetadata()
        .withNewStatus().withReadyReplicas(ready).endStatus().build();
  }
}
