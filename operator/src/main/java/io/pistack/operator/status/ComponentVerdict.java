package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.pistack.operator.health.Issue;
import io.pistack.operator.health.ProbeRecord;
import io.pistack.operator.health.StackHealth;
import io.pistack.operator.health.WorkloadIssues;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.model.Component;
import java.util.ArrayList;
import java.util.List;

/**
 * The verdict on one component, for its {@code <Component>Ready} condition and the stack's Ready,
 * Progressing and Degraded. Pure.
 *
 * @param ready every desired pod is updated and available, no pod shows a fault, and the active
 *     probe (if any) does not fail
 * @param reason CamelCase reason of the component condition
 * @param message names the component (and the pod at fault)
 * @param issues faults: non-empty makes the stack Degraded
 * @param progressing a rollout or first start is under way (not failed past its deadline)
 */
public record ComponentVerdict(boolean ready, String reason, String message, List<Issue> issues,
    boolean progressing) {
  public static ComponentVerdict of(Component c, String serviceName, Deployment d, List<Pod> pods,
      StackHealth health) {
    String part = c.part();
    if (d == null) {
      return new ComponentVerdict(false, Reason.NOT_CREATED.wire(), part + ": Deployment not created yet", List.of(), true);
    }
    List<Issue> issues = new ArrayList<>(WorkloadIssues.of(part, d));
    issues.addAll(WorkloadIssues.of(part, pods));
    DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    int desired = desired(d);
    int readyPods = n(s.getReadyReplicas());
    boolean available = isAvailable(d) || atRest(d, pods);
    ProbeRecord probe = health.get(part).orElse(null);
    boolean pending = health.pending(part);
    if (readyPods > 0 && probe != null && !probe.result().healthy() && !pending) {
      issues.add(new Issue(Reason.HEALTH_CHECK_FAILED.wire(), part + ": pods are ready but "
          + (c.healthPath() == null ? "a TCP connection to" : "GET " + c.healthPath() + " on")
          + " Service " + serviceName + ":" + c.port() + " failed: " + probe.result().message()));
    }
    boolean deadline = issues.stream().anyMatch(i -> Reason.PROGRESS_DEADLINE_EXCEEDED.is(i.reason()));
    String replicas = part + ": " + readyPods + "/" + desired + " ready";
    if (!issues.isEmpty()) {
      return new ComponentVerdict(false, issues.get(0).reason(),
          String.join("; ", issues.stream().map(Issue::message).toList()), List.copyOf(issues),
          !available && !deadline);
    }
    if (!available) {
      var unplaced = WorkloadIssues.unschedulable(part, pods);
      if (unplaced.isPresent()) {
        return new ComponentVerdict(false, unplaced.get().reason(), unplaced.get().message(), List.of(), true);
      }
      boolean observed = s.getObservedGeneration() != null
          && s.getObservedGeneration() >= n(d.getMetadata().getGeneration());
      boolean rolling = !observed || n(s.getUpdatedReplicas()) < desired;
      return new ComponentVerdict(false, (rolling ? Reason.ROLLING_OUT : Reason.PODS_NOT_READY).wire(),
          replicas + ", " + n(s.getUpdatedReplicas()) + "/" + desired + " updated", List.of(), true);
    }
    if (pending) {
      return new ComponentVerdict(false, Reason.HEALTH_CHECK_PENDING.wire(), replicas + ", waiting for the first health check",
          List.of(), true);
    }
    String version = probe != null && probe.result().healthy() && probe.result().version() != null
        ? ", reports version " + probe.result().version() : "";
    return new ComponentVerdict(true, Reason.AVAILABLE.wire(), replicas + version, List.of(), false);
  }

  static ComponentStatus componentStatus(Deployment d) {
    ComponentStatus cs = new ComponentStatus();
    if (d == null) {
      cs.desiredReplicas = 0;
      cs.readyReplicas = 0;
      return cs;
    }
    DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    cs.desiredReplicas = d.getSpec().getReplicas() != null ? d.getSpec().getReplicas()
        : n(s.getReplicas());
    cs.readyReplicas = n(s.getReadyReplicas());
    cs.updatedReplicas = n(s.getUpdatedReplicas());
    cs.availableReplicas = n(s.getAvailableReplicas());
    cs.image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    return cs;
  }

  /** Available: the controller saw the current spec and every desired pod is updated and available. */
  static boolean isAvailable(Deployment d) {
    if (d == null || d.getStatus() == null) {
      return false;
    }
    DeploymentStatus s = d.getStatus();
    boolean observed = s.getObservedGeneration() != null
        && s.getObservedGeneration() >= n(d.getMetadata().getGeneration());
    int desired = d.getSpec().getReplicas() != null ? d.getSpec().getReplicas() : Math.max(1, n(s.getReplicas()));
    return observed && n(s.getUpdatedReplicas()) >= desired && n(s.getAvailableReplicas()) >= desired;
  }

  /**
   * Scaled to zero (hibernated, or zero replicas asked) with no pod left: there is nothing to roll out, whatever
   * generation its controller has yet to observe. An edit of a Deployment's annotations bumps its generation too, and
   * until the controller records that it saw it, "RollingOut, 0/0 updated" would be written and then taken back.
   */
  static boolean atRest(Deployment d, List<Pod> pods) {
    return d.getSpec() != null && Integer.valueOf(0).equals(d.getSpec().getReplicas()) && pods.isEmpty()
        && (d.getStatus() == null || n(d.getStatus().getReplicas()) == 0);
  }

  /** The Deployment's replicas, or what the controller reports when an HPA owns the count. */
  static int desired(Deployment d) {
    if (d.getSpec() != null && d.getSpec().getReplicas() != null) {
      return d.getSpec().getReplicas();
    }
    return d.getStatus() == null ? 0 : n(d.getStatus().getReplicas());
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }

  private static long n(Long l) {
    return l == null ? 0 : l;
  }
}
