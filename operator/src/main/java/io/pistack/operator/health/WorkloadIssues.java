package io.pistack.operator.health;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads faults from what the Deployment controller and the kubelet report: a rollout past its
 * progress deadline, a ReplicaSet that cannot create pods, containers stuck waiting (crash loop,
 * image pull, bad configuration) or killed for memory; and, not a fault, pods the scheduler cannot
 * place yet ({@link #unschedulable(String, List)}). Pure; the result is sorted so the same
 * cluster state always gives the same messages (and so no status write).
 *
 * <p>Messages leave out what changes on every back-off step (the kubelet's "back-off 40s" text,
 * restart counts), and ErrImagePull, which the kubelet alternates with ImagePullBackOff while it
 * retries, is reported as ImagePullBackOff: a stuck pod gives one stable status, not a write per
 * retry.
 */
public final class WorkloadIssues {
  /** Waiting reasons that do not resolve by waiting. */
  public static final Set<String> WAITING_FAULTS = Set.of("CrashLoopBackOff", "ImagePullBackOff",
      "ErrImagePull", "CreateContainerConfigError", "CreateContainerError", "InvalidImageName",
      "RunContainerError");
  public static final String OOM_KILLED = "OOMKilled";
  public static final String IMAGE_PULL = "ImagePullBackOff";
  /** A pod the scheduler cannot place: the cluster is short of CPU, memory, a matching node or a volume. */
  public static final String UNSCHEDULABLE = "Unschedulable";
  static final String POD_SCHEDULED = "PodScheduled";
  static final int MAX_DETAIL = 200;

  private WorkloadIssues() {}

  /** ProgressDeadlineExceeded and ReplicaFailure of the Deployment's current generation. */
  public static List<Issue> of(String component, Deployment d) {
    List<Issue> issues = new ArrayList<>();
    if (d == null || d.getStatus() == null || d.getStatus().getConditions() == null) {
      return issues;
    }
    Long observed = d.getStatus().getObservedGeneration();
    Long generation = d.getMetadata().getGeneration();
    if (observed == null || (generation != null && observed < generation)) {
      return issues; // the controller has not looked at the current spec yet: old news
    }
    for (DeploymentCondition c : d.getStatus().getConditions()) {
      if ("Progressing".equals(c.getType()) && "False".equals(c.getStatus())
          && "ProgressDeadlineExceeded".equals(c.getReason())) {
        issues.add(new Issue("ProgressDeadlineExceeded", component + ": rollout of Deployment "
            + d.getMetadata().getName() + " exceeded its progress deadline" + detail(c.getMessage())));
      } else if ("ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus())) {
        issues.add(new Issue("ReplicaFailure", component + ": Deployment " + d.getMetadata().getName()
            + " cannot create pods" + detail(text(c.getReason()) + (c.getMessage() == null ? ""
            : ": " + c.getMessage()))));
      }
    }
    return issues;
  }

  /**
   * One issue per fault reason: the first pod (by name) that shows it is named, with how many
   * more do. Terminating pods are ignored.
   */
  public static List<Issue> of(String component, List<Pod> pods) {
    Map<String, List<String>> podsByReason = new LinkedHashMap<>();
    Map<String, String> firstMessage = new LinkedHashMap<>();
    pods.stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null)
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(p -> containers(p).forEach(cs -> fault(cs).ifPresent(reason -> {
          podsByReason.computeIfAbsent(reason, r -> new ArrayList<>()).add(p.getMetadata().getName());
          firstMessage.computeIfAbsent(reason, r -> describe(component, p, cs, reason));
        })));
    List<Issue> issues = new ArrayList<>();
    podsByReason.forEach((reason, names) -> {
      long others = names.stream().distinct().count() - 1;
      issues.add(new Issue(reason, firstMessage.get(reason)
          + (others > 0 ? " (and " + others + " more pod" + (others > 1 ? "s" : "") + ")" : "")));
    });
    return issues;
  }

  /**
   * Pods the scheduler could not place, in its own words (what the cluster is short of), naming the
   * first pod (by name) and how many more; empty when every pod is placed or not tried yet. Not a
   * fault: it can resolve without the user (an autoscaler adds a node, a cordon is lifted, a volume
   * is provisioned late), so it explains why a component is not ready rather than degrading it.
   */
  public static java.util.Optional<Issue> unschedulable(String component, List<Pod> pods) {
    List<Pod> stuck = pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> unschedulable(p).isPresent())
        .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    if (stuck.isEmpty()) {
      return java.util.Optional.empty();
    }
    Pod first = stuck.get(0);
    int others = stuck.size() - 1;
    return java.util.Optional.of(new Issue(UNSCHEDULABLE, component + ": pod " + first.getMetadata().getName()
        + " cannot be scheduled" + detail(unschedulable(first).orElse("")) + "; lower its requests"
        + " (spec.<component>.resources) or give the cluster what it lacks (a node with room or matching its"
        + " placement, a StorageClass, a volume)" + (others > 0 ? " (and " + others + " more pod"
        + (others > 1 ? "s" : "") + ")" : "")));
  }

  /**
   * The scheduler's message when it could not place the pod (condition PodScheduled=False, reason
   * Unschedulable), e.g. "0/1 nodes are available: 1 Insufficient cpu." or "... pod has unbound
   * immediate PersistentVolumeClaims"; empty for a pod that is scheduled or not tried yet.
   */
  public static java.util.Optional<String> unschedulable(Pod p) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) {
      return java.util.Optional.empty();
    }
    return p.getStatus().getConditions().stream()
        .filter(c -> POD_SCHEDULED.equals(c.getType()) && "False".equals(c.getStatus())
            && UNSCHEDULABLE.equals(c.getReason()))
        .map(c -> c.getMessage() == null ? "" : c.getMessage()).findFirst();
  }

  private static Stream<ContainerStatus> containers(Pod p) {
    List<ContainerStatus> init = p.getStatus().getInitContainerStatuses();
    List<ContainerStatus> main = p.getStatus().getContainerStatuses();
    return Stream.concat(init == null ? Stream.empty() : init.stream(), main == null ? Stream.empty() : main.stream());
  }

  /**
   * The fault a container shows: OOMKilled when its last run was killed for memory and it is not
   * ready again (restarting, or in a crash loop because of it), else a waiting fault.
   */
  static java.util.Optional<String> fault(ContainerStatus cs) {
    boolean ready = Boolean.TRUE.equals(cs.getReady());
    if (!ready && cs.getLastState() != null && cs.getLastState().getTerminated() != null
        && OOM_KILLED.equals(cs.getLastState().getTerminated().getReason())) {
      return java.util.Optional.of(OOM_KILLED);
    }
    if (cs.getState() != null && cs.getState().getWaiting() != null
        && WAITING_FAULTS.contains(cs.getState().getWaiting().getReason())) {
      String reason = cs.getState().getWaiting().getReason();
      return java.util.Optional.of("ErrImagePull".equals(reason) ? IMAGE_PULL : reason);
    }
    return java.util.Optional.empty();
  }

  private static String describe(String component, Pod p, ContainerStatus cs, String reason) {
    String where = component + ": pod " + p.getMetadata().getName() + " container " + cs.getName();
    return switch (reason) {
      case OOM_KILLED -> where + " was OOMKilled; raise its memory limit (spec.<component>.resources)";
      case IMAGE_PULL -> where + " cannot pull image " + cs.getImage()
          + "; check spec.version, spec.image.registry and spec.image.pullSecrets";
      case "CrashLoopBackOff" -> where + " is in CrashLoopBackOff" + lastExit(cs) + "; see kubectl logs --previous";
      default -> where + " is in " + reason + detail(cs.getState().getWaiting().getMessage());
    };
  }

  private static String lastExit(ContainerStatus cs) {
    if (cs.getLastState() == null || cs.getLastState().getTerminated() == null) {
      return "";
    }
    var t = cs.getLastState().getTerminated();
    return " (last exit code " + t.getExitCode() + (t.getReason() == null ? "" : ", " + t.getReason()) + ")";
  }

  private static String detail(String message) {
    if (message == null || message.isBlank()) {
      return "";
    }
    String m = message.strip().replaceAll("\\s+", " ");
    return ": " + (m.length() > MAX_DETAIL ? m.substring(0, MAX_DETAIL) + "..." : m);
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}
