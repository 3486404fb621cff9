package io.pistack.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** With an S3 target a failing backup.sh or s3.sh fetch is an init container: its message is read too. */
class JobTerminationMessagesTest {

  @Test
  void theNewestTerminatedContainerWinsInitContainersIncluded() {
    Pod initFailed = pod(List.of(terminated("backup", "{\"error\":\"cannot connect\",\"exitCode\":1}", "2026-01-01T02:00:05Z")),
        List.of(new ContainerStatusBuilder().withName("upload").withNewState().withNewWaiting()
            .withReason("PodInitializing").endWaiting().endState().build()));
    assertThat(JobTerminationMessages.newest(List.of(initFailed))).contains("{\"error\":\"cannot connect\",\"exitCode\":1}");

    Pod uploaded = pod(List.of(terminated("backup", "{\"name\":\"local\"}", "2026-01-01T02:00:05Z")),
        List.of(terminated("upload", "{\"name\":\"s3\"}", "2026-01-01T02:00:09Z")));
    assertThat(JobTerminationMessages.newest(List.of(uploaded))).contains("{\"name\":\"s3\"}");

    Pod volumeOnly = pod(null, List.of(terminated("backup", "{\"name\":\"pvc\"}", "2026-01-01T02:00:05Z")));
    assertThat(JobTerminationMessages.newest(List.of(volumeOnly))).contains("{\"name\":\"pvc\"}");
  }

  private static Pod pod(List<ContainerStatus> init, List<ContainerStatus> main) {
    return new PodBuilder().withNewStatus().withInitContainerStatuses(init).withContainerStatuses(main).endStatus().build();
  }

  private static ContainerStatus terminated(String name, String message, String finishedAt) {
    return new ContainerStatusBuilder().withName(name).withNewState().withNewTerminated().withExitCode(0)
        .withMessage(message).withFinishedAt(finishedAt).endTerminated().endState().build();
  }
}
