package io.pistack.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadIssuesTest {

  static Pod pod(String name, ContainerStatus... containers) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewStatus().withPhase("Running").withContainerStatuses(containers).endStatus().build();
  }

  static ContainerStatus waiting(String reason, String message) {
    return new ContainerStatusBuilder().withName("dashboard").withImage("ghcr.io/pi-cr/server:2026_01")
        .withReady(false).withState(new ContainerStateBuilder().withNewWaiting().withReason(reason)
            .withMessage(message).endWaiting().build()).build();
  }

  static ContainerStatus running() {
    return new ContainerStatusBuilder().withName("dashboard").withReady(true)
        .withState(new ContainerStateBuilder().withNewRunning().endRunning().build()).build();
  }

  static ContainerStatus lastTerminated(ContainerStatus cs, String reason, int exit) {
    return new ContainerStatusBuilder(cs).withLastState(new ContainerStateBuilder().withNewTerminated()
        .withReason(reason).withExitCode(exit).endTerminated().build()).withRestartCount(7).build();
  }

  static Pod unscheduled(String name, String message) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus().withPhase("Pending")
        .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage(message).endCondition().endStatus().build();
  }

  @Test
  void aPodNoNodeCanTakeIsUnschedulableWithTheSchedulersWords() {
    String why = "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption"
        + " victims found for incoming pod.";
    List<Pod> pods = List.of(unscheduled("pi-dashboard-b", why), unscheduled("pi-dashboard-a", why),
        pod("pi-dashboard-c", running()));
    assertThat(WorkloadIssues.unschedulable("dashboard", pods)).hasValue(new Issue("Unschedulable", "dashboard: pod"
        + " pi-dashboard-a cannot be scheduled: " + why + "; lower its requests (spec.<component>.resources) or give"
        + " the cluster what it lacks (a node with room or matching its placement, a StorageClass, a volume)"
        + " (and 1 more pod)"));
    assertThat(WorkloadIssues.of("dashboard", pods)).as("not a fault").isEmpty();
    assertThat(WorkloadIssues.unschedulable("database", List.of(unscheduled("pi-db-0",
        "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims."))))
        .hasValueSatisfying(i -> assertThat(i.message()).contains("unbound immediate PersistentVolumeClaims"));
    // Scheduled (or not tried yet): nothing to say.
    Pod scheduled = new PodBuilder(unscheduled("p", why)).editStatus().editFirstCondition().withStatus("True")
        .withReason(null).withMessage(null).endCondition().endStatus().build();
    assertThat(WorkloadIssues.unschedulable("dashboard", List.of(scheduled))).isEmpty();
  }

  @Test
  void aCrashLoopNamesComponentPodContainerAndLastExitButNotTheBackOff() {
    var issues = WorkloadIssues.of("dashboard", List.of(pod("pi-dashboard-abc",
        lastTerminated(waiting("CrashLoopBackOff", "back-off 2m40s restarting failed container"), "Error", 1))));
    assertThat(issues).containsExactly(new Issue("CrashLoopBackOff", "dashboard: pod pi-dashboard-abc container"
        + " dashboard is in CrashLoopBackOff (last exit code 1, Error); see kubectl logs --previous"));
  }

  @Test
  void anOomKillIsReportedWhileTheContainerIsNotReadyAgain() {
    ContainerStatus oom = lastTerminated(waiting("CrashLoopBackOff", "back-off"), "OOMKilled", 137);
    assertThat(WorkloadIssues.of("renderer", List.of(pod("pi-renderer-1", oom)))).containsExactly(new Issue(
        "OOMKilled", "renderer: pod pi-renderer-1 container dashboard was OOMKilled; raise its memory limit"
            + " (spec.<component>.resources)"));
    assertThat(WorkloadIssues.of("renderer", List.of(pod("pi-renderer-1", lastTerminated(running(), "OOMKilled", 137)))))
        .as("restarted and ready again").isEmpty();
  }

  @Test
  void errImagePullAndImagePullBackOffReadTheSame() {
    var a = WorkloadIssues.of("dashboard", List.of(pod("p", waiting("ErrImagePull", "rpc error: not found"))));
    var b = WorkloadIssues.of("dashboard", List.of(pod("p", waiting("ImagePullBackOff", "Back-off pulling image"))));
    assertThat(a).isEqualTo(b).containsExactly(new Issue("ImagePullBackOff", "dashboard: pod p container dashboard"
        + " cannot pull image ghcr.io/pi-cr/server:2026_01; check spec.version, spec.image.registry and"
        + " spec.image.pullSecrets"));
  }

  @Test
  void aConfigErrorKeepsTheKubeletsShortExplanation() {
    assertThat(WorkloadIssues.of("scheduler", List.of(pod("s-1",
        waiting("CreateContainerConfigError", "secret \"pi-db\" not found")))))
        .containsExactly(new Issue("CreateContainerConfigError",
            "scheduler: pod s-1 container dashboard is in CreateContainerConfigError: secret \"pi-db\" not found"));
  }

  @Test
  void onePodIsNamedAndTheOthersCountedInNameOrder() {
    var issues = WorkloadIssues.of("dashboard", List.of(
        pod("pi-dashboard-c", waiting("ImagePullBackOff", "")),
        pod("pi-dashboard-a", waiting("ErrImagePull", "")),
        pod("pi-dashboard-b", waiting("ImagePullBackOff", ""))));
    assertThat(issues).singleElement().satisfies(i -> assertThat(i.message())
        .startsWith("dashboard: pod pi-dashboard-a container").endsWith("(and 2 more pods)"));
  }

  @Test
  void waitingForOrdinaryReasonsAndTerminatingPodsAreNoFault() {
    Pod terminating = pod("old", waiting("CrashLoopBackOff", ""));
    terminating.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    assertThat(WorkloadIssues.of("dashboard", List.of(terminating,
        pod("new", waiting("ContainerCreating", "")), pod("ok", running())))).isEmpty();
  }

  @Test
  void aRolloutPastItsDeadlineOrUnableToCreatePods() {
    Deployment d = new DeploymentBuilder().withNewMetadata().withName("pi-dashboard").withGeneration(4L).endMetadata()
        .withNewStatus().withObservedGeneration(4L)
        .addNewCondition().withType("Progressing").withStatus("False").withReason("ProgressDeadlineExceeded")
        .withMessage("ReplicaSet \"pi-dashboard-7f\" has timed out progressing.").endCondition()
        .addNewCondition().withType("ReplicaFailure").withStatus("True").withReason("FailedCreate")
        .withMessage("pods \"pi-dashboard-7f-x\" is forbidden: exceeded quota").endCondition()
        .endStatus().build();
    assertThat(WorkloadIssues.of("dashboard", d)).containsExactly(
        new Issue("ProgressDeadlineExceeded", "dashboard: rollout of Deployment pi-dashboard exceeded its progress"
            + " deadline: ReplicaSet \"pi-dashboard-7f\" has timed out progressing."),
        new Issue("ReplicaFailure", "dashboard: Deployment pi-dashboard cannot create pods: FailedCreate: pods"
            + " \"pi-dashboard-7f-x\" is forbidden: exceeded quota"));

    d.getMetadata().setGeneration(5L);
    assertThat(WorkloadIssues.of("dashboard", d)).as("a condition about an older spec").isEmpty();
  }
}
