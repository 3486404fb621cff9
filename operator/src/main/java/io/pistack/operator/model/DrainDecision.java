package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.pistack.operator.api.v1alpha1.UpgradeSpec;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The drained upgrade (spec.upgrade.strategy Drain, the default): on a version change the dashboard
 * and scheduler go to zero replicas (DRAINING); once none of their pods is left, one dashboard of the
 * new version starts alone and migrates the schema (MIGRATING); once it is Ready everything else
 * follows (NONE: the ordinary desired state). A migration that is not Ready within the allowance
 * stops there (STUCK).
 *
 * <p>The step is derived from the live objects only, never remembered, so an operator restarted at
 * any moment picks up where the cluster is: the dashboard Deployment's version label says whether
 * the drain has let the new version in; while the dashboard runs the target but another Deployment
 * (the scheduler, the other components) still carries the old version label, the migration has not
 * been let through; the dashboard Deployment's status and its pods say whether it is Ready, and the
 * Deployment controller's ProgressDeadlineExceeded whether the allowance ran out.
 */
public record DrainDecision(Step step, String from, String to, String detail) {

  public enum Step {
    /** Nothing held: not a version change, the rolling strategy, or the migration is done. */
    NONE,
    /** Dashboard and scheduler scaled to zero, waiting for their pods to go. */
    DRAINING,
    /** One dashboard of the new version runs alone. */
    MIGRATING,
    /** The migrating dashboard was not Ready within the allowance: stopped. */
    STUCK
  }

  static final String DEADLINE_EXCEEDED = "ProgressDeadlineExceeded";

  public static DrainDecision none() {
    return new DrainDecision(Step.NONE, null, null, null);
  }

  public static DrainDecision decide(ResolvedStack stack, UpgradeDecision upgrade, Collection<Deployment> deployments,
      Collection<Pod> pods) {
    if (upgrade.holds() || strategy(stack) == UpgradeSpec.Strategy.Rolling || !stack.enabled(Component.main())) {
      return none();
    }
    String target = stack.version();
    Optional<Deployment> dashboard = of(deployments, Component.main());
    if (dashboard.isEmpty()) {
      return none();
    }
    String dashboardVersion = label(dashboard.get(), Labels.VERSION);
    if (dashboardVersion != null && !dashboardVersion.equals(target)) {
      if (!drained(deployments, pods)) {
        return new DrainDecision(Step.DRAINING, dashboardVersion, target, null);
      }
      return new DrainDecision(Step.MIGRATING, dashboardVersion, target, null);
    }
    Optional<String> behind = behind(deployments, target);
    if (behind.isEmpty() || migrated(dashboard.get())) {
      return none();
    }
    if (deadlineExceeded(dashboard.get())) {
      return new DrainDecision(Step.STUCK, behind.get(), target, lastState(pods));
    }
    return new DrainDecision(Step.MIGRATING, behind.get(), target, null);
  }

  public static UpgradeSpec.Strategy strategy(ResolvedStack stack) {
    UpgradeSpec u = stack.source().getSpec().upgrade;
    return u == null || u.strategy == null ? UpgradeSpec.Strategy.Drain : u.strategy;
  }

  public static int migrationTimeoutSeconds(ResolvedStack stack) {
    UpgradeSpec u = stack.source().getSpec().upgrade;
    return u == null || u.migrationTimeoutSeconds == null ? UpgradeSpec.DEFAULT_MIGRATION_TIMEOUT
        : u.migrationTimeoutSeconds;
  }

  public boolean active() {
    return step != Step.NONE;
  }

  /** The version a component's Deployment is built with while the drain holds. */
  public String version(Component c) {
    return c == Component.main() && step != Step.DRAINING ? to : from;
  }

  /** The component is the migrating dashboard (it gets the migration's progress deadline). */
  public boolean migrating(Component c) {
    return c == Component.main() && (step == Step.MIGRATING || step == Step.STUCK);
  }

  /** The replicas the drain holds a component at, if any: zero, or one migrating dashboard. */
  public Optional<Integer> replicas(Component c) {
    if (!active()) {
      return Optional.empty();
    }
    if (c == Component.main()) {
      return Optional.of(step == Step.DRAINING ? 0 : 1);
    }
    return c.usesDatabase() ? Optional.of(0) : Optional.empty();
  }

  /** No pod of a database user is left and their Deployments are at zero. */
  static boolean drained(Collection<Deployment> deployments, Collection<Pod> pods) {
    boolean podsGone = pods.stream().noneMatch(p -> usesDatabase(p.getMetadata().getLabels()));
    boolean scaledDown = deployments.stream().filter(d -> usesDatabase(d.getMetadata().getLabels())).allMatch(d -> {
      Integer desired = d.getSpec() == null ? null : d.getSpec().getReplicas();
      Integer running = d.getStatus() == null ? null : d.getStatus().getReplicas();
      return desired != null && desired == 0 && (running == null || running == 0);
    });
    return podsGone && scaledDown;
  }

  /** The oldest version other than {@code target} another component's Deployment still carries, if any. */
  static Optional<String> behind(Collection<Deployment> deployments, String target) {
    return deployments.stream().filter(d -> !Component.main().part().equals(label(d, Labels.COMPONENT)))
        .map(d -> label(d, Labels.VERSION)).filter(v -> v != null && !v.equals(target)).sorted().findFirst();
  }

  /**
   * Another component's Deployment carries another version than the dashboard's. With the dashboard migrated, this
   * is the pass that releases a drained upgrade: it scales the dashboard from its one migrating pod to its count,
   * gives back its progress deadline and lets the others follow. (A held upgrade keeps every Deployment at the
   * running version: nothing lags then.)
   */
  static boolean lagging(Deployment dashboard, Collection<Deployment> deployments) {
    String version = label(dashboard, Labels.VERSION);
    return version != null && behind(deployments, version).isPresent();
  }

  /** The new dashboard's controller saw its spec and at least one updated pod is Ready. */
  static boolean migrated(Deployment d) {
    var s = d.getStatus();
    if (s == null) {
      return false;
    }
    long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
    return s.getObservedGeneration() != null && s.getObservedGeneration() >= generation
        && n(s.getUpdatedReplicas()) >= 1 && n(s.getReadyReplicas()) >= 1;
  }

  static boolean deadlineExceeded(Deployment d) {
    if (d.getStatus() == null || d.getStatus().getConditions() == null) {
      return false;
    }
    return d.getStatus().getConditions().stream().anyMatch((DeploymentCondition c) ->
        "Progressing".equals(c.getType()) && "False".equals(c.getStatus()) && DEADLINE_EXCEEDED.equals(c.getReason()));
  }

  /** The migrating pod's last state, in words: its phase, and why its container is not ready. */
  static String lastState(Collection<Pod> pods) {
    return pods.stream().filter(p -> Component.main().part().equals(label(p.getMetadata().getLabels(), Labels.COMPONENT)))
        .findFirst().map(DrainDecision::describe).orElse("no dashboard pod exists");
  }

  private static String describe(Pod p) {
    StringBuilder sb = new StringBuilder("pod ").append(p.getMetadata().getName());
    var st = p.getStatus();
    if (st == null) {
      return sb.append(" has no status").toString();
    }
    sb.append(" is ").append(st.getPhase());
    if (st.getConditions() != null) {
      for (PodCondition c : st.getConditions()) {
        if ("False".equals(c.getStatus()) && c.getReason() != null) {
          sb.append(", ").append(c.getType()).append("=False ").append(c.getReason());
        }
      }
    }
    if (st.getContainerStatuses() != null) {
      for (ContainerStatus cs : st.getContainerStatuses()) {
        if (cs.getState() != null && cs.getState().getWaiting() != null) {
          sb.append(", waiting: ").append(cs.getState().getWaiting().getReason());
        }
        if (cs.getLastState() != null && cs.getLastState().getTerminated() != null) {
          var t = cs.getLastState().getTerminated();
          sb.append(", last terminated: ").append(t.getReason()).append(" (exit code ").append(t.getExitCode()).append(")");
        }
        if (cs.getRestartCount() != null && cs.getRestartCount() > 0) {
          sb.append(", restarts: ").append(cs.getRestartCount());
        }
      }
    }
    return sb.toString();
  }

  private static Optional<Deployment> of(Collection<Deployment> deployments, Component c) {
    return deployments.stream().filter(d -> c.part().equals(label(d, Labels.COMPONENT))).findFirst();
  }

  private static boolean usesDatabase(Map<String, String> labels) {
    String part = label(labels, Labels.COMPONENT);
    return java.util.Arrays.stream(Component.values()).anyMatch(c -> c.usesDatabase() && c.part().equals(part));
  }

  private static String label(Deployment d, String key) {
    return label(d.getMetadata().getLabels(), key);
  }

  private static String label(Map<String, String> labels, String key) {
    return labels == null ? null : labels.get(key);
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }
}
