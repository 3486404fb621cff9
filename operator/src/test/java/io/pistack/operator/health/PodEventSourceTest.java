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

  @Test
  void theSchedulerGivingUpOnAPodIsASignalAndItsWordsAreKept() {
    Pod pending = new PodBuilder(pod(0, false)).editStatus().withPhase("Pending").addNewCondition()
        .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage("0/1 nodes are available: 1 Insufficient memory.").endCondition().addNewCondition()
        .withType("Ready").withStatus("False").withReason("ContainersNotReady").withMessage("long text").endCondition()
        .endStatus().build();
    assertThat(PodEventSource.signal(pending)).isNotEqualTo(PodEventSource.signal(pod(0, false)));
    Pod slim = PodEventSource.slim(pending);
    assertThat(WorkloadIssues.unschedulable(slim)).hasValue("0/1 nodes are available: 1 Insufficient memory.");
    assertThat(slim.getStatus().getConditions()).filteredOn(c -> c.getType().equals("Ready"))
        .singleElement().satisfies(c -> assertThat(c.getMessage()).isNull());
  }
}
