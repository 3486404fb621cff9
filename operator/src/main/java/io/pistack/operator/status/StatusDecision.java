package io.pistack.operator.status;

import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.dependent.Pass;
import io.pistack.operator.health.UnplacedPods;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SpecWarnings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The status stage's decision (pure but for the clock): from the reconcile's values and the observe stage's
 * {@link Snapshot}, the next status and when to look again. What the snapshot means is judged here: a pod the
 * scheduler could not place counts once that has lasted a while (UnplacedPods), the backup and restore Jobs become
 * status.backup and status.restore (BackupRestoreStatus), the conditions are {@link StatusAggregator}'s, and the
 * next look {@link Recheck}'s.
 */
public final class StatusDecision {
  private final StatusAggregator aggregator;
  private final Clock clock;

  /** @param recheck when the next reconcile comes without an event, empty when none is due */
  public record Decided(PiStackStatus status, Optional<Duration> recheck) {}

  public StatusDecision(Clock clock) {
    this.aggregator = new StatusAggregator(clock);
    this.clock = clock;
  }

  /**
   * @param pass the reconcile's pass: the resolved stack, its plan, the Jobs whose outcome the status lacks
   * @param secrets the check of the Secrets the spec names
   * @param advice the spec stage's advice (SpecCheck#advice)
   * @param applyError the apply's failure, when it is to be reported
   * @param retry the back-off's delay after a failed apply
   */
  public Decided decide(Pass pass, ReferencedSecrets.Check secrets, List<SpecWarnings.Warning> advice,
      Optional<String> applyError, Optional<Duration> retry, Snapshot seen) {
    ResolvedStack resolved = pass.stack();
    Instant now = clock.instant();
    Observation observation = new Observation(seen.deployments(), seen.database(),
        UnplacedPods.settled(seen.pods(), now), seen.health(), List.of(), secrets.other(), secrets.credentials(),
        applyError).withRoute(seen.route());
    BackupRestoreStatus.Seen lifecycle = BackupRestoreStatus.observe(resolved, pass.plan(), seen.jobs(),
        seen.messages());
    return new Decided(aggregator.aggregate(resolved, observation, lifecycle, advice),
        Recheck.of(retry, pass, secrets, UnplacedPods.recheck(seen.pods(), now)));
  }

  /** A stack the spec stage stopped: nothing was applied or observed; looked at again after {@code recheck}. */
  public Decided stopped(ResolvedStack resolved, Observation why, Optional<Duration> recheck) {
    return new Decided(aggregator.aggregate(resolved, why, null, List.of()), recheck);
  }

  /** After a reconcile that failed outside the managed workflow (StatusAggregator#failed). */
  public PiStackStatus failed(PiStack stack, String summary) {
    return aggregator.failed(stack, summary);
  }
}
