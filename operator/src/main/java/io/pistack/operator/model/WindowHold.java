package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Holds a version change outside the maintenance windows (docs/upgrade.md#maintenance-windows): while no window is
 * open and the change has not started, the plan keeps the running version (no pre-upgrade backup, no drain) and says
 * which window it waits for. A change that started (its pre-upgrade Job exists, a Deployment runs the new version, or
 * the drain holds the dashboard at zero) finishes whatever the hour: stopping half way would be the disruption the
 * window is meant to avoid. Pure: decided from the live objects and the instant, so a restarted operator decides
 * the same. What is never held: changes that are not version changes (a user's own edit, a failing pod's repair).
 */
public final class WindowHold {
  private WindowHold() {}

  /** @param closed the window the stack waits for when none is open now; empty while one is open */
  public static LifecyclePlan apply(LifecyclePlan plan, ResolvedStack stack, Collection<Deployment> deployments,
      Collection<Job> jobs, Optional<MaintenanceWindows.Wait> closed) {
    UpgradeDecision u = plan.upgrade();
    if (closed.isEmpty() || u.running() == null || u.running().equals(u.target())
        || started(stack, plan, deployments, jobs)) {
      return plan;
    }
    // Only the version change waits: the restore gate, hibernation and the page stay as decided.
    return new LifecyclePlan(UpgradeDecision.waitingForWindow(u.running(), u.target(), closed.get()), plan.restore(),
        DrainDecision.none(), plan.hibernation(), plan.page());
  }

  static boolean started(ResolvedStack stack, LifecyclePlan plan, Collection<Deployment> deployments,
      Collection<Job> jobs) {
    String target = plan.upgrade().target();
    String job = JobNames.preUpgrade(stack, target);
    boolean backupStarted = jobs.stream().anyMatch(j -> job.equals(j.getMetadata().getName()));
    boolean rolled = deployments.stream().anyMatch(d -> target.equals(label(d, Labels.VERSION)));
    boolean draining = !plan.restore().stopWorkloads() && deployments.stream()
        .filter(d -> Component.main().part().equals(label(d, Labels.COMPONENT)))
        .anyMatch(d -> d.getSpec() != null && Objects.equals(d.getSpec().getReplicas(), 0));
    return backupStarted || rolled || draining;
  }

  private static String label(Deployment d, String key) {
    Map<String, String> labels = d.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
