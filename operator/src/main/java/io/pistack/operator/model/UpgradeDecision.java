package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.Optional;

/**
 * Whether a version change may roll out now. With backups enabled a change from the running
 * version to spec.version first runs a pre-upgrade backup Job; until it has succeeded the
 * Deployments keep the running version. A failed backup holds the upgrade (never proceeds
 * silently) until the Job is deleted (retry), the version is reverted, or backups are turned off.
 *
 * @param running the version the Deployments run now; null for a new stack
 * @param target spec.version
 * @param jobName the pre-upgrade Job of the target version, when one is involved
 * @param window while {@link Phase#WAITING_FOR_WINDOW}: the window it waits for (null otherwise)
 */
public record UpgradeDecision(Phase phase, String running, String target, String jobName,
    Optional<JobOutcome> outcome, MaintenanceWindows.Wait window) {

  public UpgradeDecision(Phase phase, String running, String target, String jobName, Optional<JobOutcome> outcome) {
    this(phase, running, target, jobName, outcome, null);
  }

  /** The version change may not start before the next maintenance window (WindowHold). */
  public static UpgradeDecision waitingForWindow(String running, String target, MaintenanceWindows.Wait window) {
    return new UpgradeDecision(Phase.WAITING_FOR_WINDOW, running, target, null, Optional.empty(), window);
  }

  public enum Phase {
    /** Nothing to wait for: no change, a new stack, or backups off. */
    NONE,
    /** The backup waits for the embedded database to be ready. */
    WAITING_FOR_DATABASE,
    /** The pre-upgrade Job runs (or is being created). */
    BACKING_UP,
    /** The pre-upgrade Job failed: the upgrade waits. */
    FAILED,
    /** The pre-upgrade Job succeeded: the Deployments roll to the target. */
    SUCCEEDED,
    /** Outside every maintenance window: the change has not started and waits for the next one. */
    WAITING_FOR_WINDOW
  }

  public static UpgradeDecision decide(ResolvedStack stack, Optional<String> running, boolean databaseReady,
      Optional<Job> preUpgradeJob) {
    String target = stack.version();
    if (running.isEmpty() || running.get().equals(target) || !stack.backup().enabled()) {
      return new UpgradeDecision(Phase.NONE, running.orElse(null), target, null, Optional.empty());
    }
    String name = JobNames.preUpgrade(stack, target);
    if (preUpgradeJob.isPresent()) {
      JobOutcome o = JobOutcome.of(preUpgradeJob.get());
      Phase p = switch (o.state()) {
        case SUCCEEDED -> Phase.SUCCEEDED;
        case FAILED -> Phase.FAILED;
        case ACTIVE -> Phase.BACKING_UP;
      };
      return new UpgradeDecision(p, running.get(), target, name, Optional.of(o));
    }
    return new UpgradeDecision(databaseReady ? Phase.BACKING_UP : Phase.WAITING_FOR_DATABASE,
        running.get(), target, name, Optional.empty());
  }

  /** The Deployments stay at the running version. */
  public boolean holds() {
    return phase == Phase.WAITING_FOR_DATABASE || phase == Phase.BACKING_UP || phase == Phase.FAILED
        || phase == Phase.WAITING_FOR_WINDOW;
  }

  /** The version the Deployments are built with. */
  public String deploymentVersion() {
    return holds() ? running : target;
  }

  /**
   * The backup succeeded and the rollout is under way, but the Deployments do not report the target
   * version yet. Nothing is sure to trigger the reconcile that sees them do so (the operator's own
   * applies do not), so the reconciler looks again shortly while this lasts.
   */
  public boolean rollingOut() {
    return phase == Phase.SUCCEEDED;
  }

  /** The pre-upgrade Job exists (or is created) until the Deployments run the target version. */
  public boolean jobWanted() {
    return phase == Phase.BACKING_UP || phase == Phase.FAILED || phase == Phase.SUCCEEDED;
  }
}
