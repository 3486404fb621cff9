package io.pistack.operator.status;

import io.pistack.operator.dependent.Pass;
import io.pistack.operator.model.DrainDecision;
import io.pistack.operator.model.LifecyclePlan;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * When the next reconcile of a stack comes without an event to trigger it (pure). A failed apply is
 * retried with a growing back-off (ErrorBackoff), which wins over everything below. Otherwise: a kept
 * Job, recorded by this reconcile, is deleted by a later one, and a pre-upgrade Job once the
 * Deployments report the new version, so such a reconcile comes soon (and the maintenance page after its hand-back); a missing Secret is rechecked
 * slowly; a pod the scheduler could not place brings its recheck forward (UnplacedPods). Part of the status
 * stage's decision (StatusDecision): the status stage also says when to look again.
 */
public final class Recheck {
  static final Duration RECHECK_RECORDED_JOBS = Duration.ofSeconds(2);
  /**
   * While a named Secret is missing. Its creation reaches the stack through the Secret watch at once
   * (BadInputTest); this slow recheck only keeps the stuck stack's error counted in
   * pi_operator_reconcile_errors_total, whose alert rates it over 10 minutes.
   */
  static final Duration RECHECK_MISSING_SECRETS = Duration.ofMinutes(5);
  /**
   * While a restore's source is refused: a PiBackup that completes reaches the stack through StackBackups at once;
   * what no event brings (a source stack in another namespace allowing this one) is seen within this.
   */
  public static final Duration RECHECK_RESTORE_SOURCE = Duration.ofSeconds(30);

  private Recheck() {}

  /**
   * A Job or gate this reconcile left that a later one finishes: a recorded Job, a rollout, a drain not stuck, the
   * maintenance page's hand-back (the Service selects the dashboard again; JOSDK hears no event of its own write, and
   * the page is removed by the next pass).
   */
  static boolean jobsPending(LifecyclePlan plan, Set<String> unrecorded) {
    return !unrecorded.isEmpty() || plan.upgrade().rollingOut()
        || (plan.drain().active() && plan.drain().step() != DrainDecision.Step.STUCK) || plan.page().handingBack();
  }

  /** {@link #after} for this reconcile's pass (its plan and unrecorded Jobs) and Secret check. */
  static Optional<Duration> of(Optional<Duration> retry, Pass pass, ReferencedSecrets.Check secrets,
      Optional<Duration> unplaced) {
    // A change waiting for a maintenance window is looked at again when the window opens (WindowHold).
    Optional<Duration> window = Optional.ofNullable(pass.plan().upgrade().window())
        .map(w -> w.in().compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : w.in());
    Optional<Duration> soonest = unplaced.isEmpty() || window.isPresent() && window.get().compareTo(unplaced.get()) < 0
        ? window.or(() -> unplaced) : unplaced;
    return after(retry, jobsPending(pass.plan(), pass.unrecorded()), !secrets.all().isEmpty(), soonest);
  }

  /**
   * @param retry the back-off's delay after a failed apply
   * @param unplaced when an unplaced pod's wait ends (UnplacedPods#recheck)
   */
  static Optional<Duration> after(Optional<Duration> retry, boolean jobsPending, boolean secretsMissing,
      Optional<Duration> unplaced) {
    if (retry.isPresent()) {
      return retry;
    }
    Optional<Duration> recheck = jobsPending ? Optional.of(RECHECK_RECORDED_JOBS)
        : secretsMissing ? Optional.of(RECHECK_MISSING_SECRETS) : Optional.empty();
    if (unplaced.isPresent() && recheck.map(r -> r.compareTo(unplaced.get()) > 0).orElse(true)) {
      return unplaced;
    }
    return recheck;
  }
}
