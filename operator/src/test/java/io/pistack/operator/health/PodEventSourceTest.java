package io.pistack.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import org.junit.jupiter.api.Test;

class PodEventSourceTest {
  static Pod pod(int restarts, boolean ready) {
    return new PodBuilder().withNewMetadata().withName("pi-dashboard-1").withNamespace("bi").withResourceVersion("7")
        .addToLabels("app.kubernetes.io/instance", "pi").addToLabels("app.kubernetes.io/component", "dashboard")
        .endMetadata()
        .withNewSpec().addNewContainer().withName("dashboard").withImage("img").addNewEnv().withName("A")
        .withValue("b").endEnv().endContainer().endSpec()
        .withNewStatus().withPhase("Running").withPodIP("10.0.0.1").withContainerStatuses(new ContainerStatusBuilder()
            .withName("dashboard").withReady(ready).withRestartCount(restarts).build()).endStatus().build();
  }

  @Test
  void aPodBelongsToTheStackNamedByItsInstanceLabel() {
    assertThat(PodEventSource.stackOf(pod(0, true))).containsExactly(new ResourceID("pi", "bi"));
    Pod unlabelled = pod(0, true);
    unlabelled.getMetadata().getLabels().clear();
    assertThat(PodEventSource.stackOf(unlabelled)).isEmpty();
  }

  @Test
  void onlyWhatTheStatusReadsIsASignal() {
    assertThat(PodEventSource.signal(pod(0, true))).isEqualTo(PodEventSource.signal(pod(5, true)));
    assertThat(PodEventSource.signal(pod(0, true))).isNotEqualTo(PodEventSource.signal(pod(0, false)));
  }

  @Test
  void theCacheKeepsLabelsAndContainerStatesOnly() {
    Pod slim = PodEventSource.slim(pod(2, true));
    assertThat(slim.getSpec()).isNull();
    assertThat(slim.getStatus().getPodIP()).isNull();
    assertThat(slim.getMetadata().getLabels()).containsEntry("app.kubernetes.io/component", "dashboard");
    assertThat(slim.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(slim.getStatus().getContainerStatuses().get(0).getReady()).isTrue();
  }
}
