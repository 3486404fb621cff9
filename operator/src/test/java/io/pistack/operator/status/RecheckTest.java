package io.pistack.operator.status;

import static io.pistack.operator.status.Recheck.RECHECK_MISSING_SECRETS;
import static io.pistack.operator.status.Recheck.RECHECK_RECORDED_JOBS;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecheckTest {
  private static final Optional<Duration> NONE = Optional.empty();

  @Test
  void nothingPendingMeansNoRecheck() {
    assertThat(Recheck.after(NONE, false, false, NONE)).isEmpty();
  }

  @Test
  void theBackOffWinsOverEverything() {
    Optional<Duration> retry = Optional.of(Duration.ofSeconds(8));
    assertThat(Recheck.after(retry, true, true, Optional.of(Duration.ofSeconds(1)))).isEqualTo(retry);
  }

  @Test
  void pendingJobsComeBeforeMissingSecrets() {
    assertThat(Recheck.after(NONE, true, true, NONE)).contains(RECHECK_RECORDED_JOBS);
    assertThat(Recheck.after(NONE, false, true, NONE)).contains(RECHECK_MISSING_SECRETS);
  }

  @Test
  void anUnplacedPodBringsTheRecheckForwardNeverBack() {
    Optional<Duration> soon = Optional.of(Duration.ofSeconds(1));
    Optional<Duration> late = Optional.of(Duration.ofMinutes(10));
    assertThat(Recheck.after(NONE, false, false, late)).isEqualTo(late);
    assertThat(Recheck.after(NONE, true, false, soon)).isEqualTo(soon);
    assertThat(Recheck.after(NONE, true, false, late)).contains(RECHECK_RECORDED_JOBS);
    assertThat(Recheck.after(NONE, false, true, late)).contains(RECHECK_MISSING_SECRETS);
  }

  /** JOSDK hears no event of the operator's own hand-back write: the pass that removes the page must be scheduled. */
  @Test
  void theMaintenancePagesHandBackBringsTheNextPass() {
    var stack = new io.pistack.operator.model.ResolvedStack(io.pistack.operator.it.Stacks.sample("minimal.yaml", "ns"));
    var plan = io.pistack.operator.model.LifecyclePlan.open(stack);
    assertThat(Recheck.jobsPending(plan, java.util.Set.of())).isFalse();
    assertThat(Recheck.jobsPending(plan.withPage(new io.pistack.operator.model.MaintenancePageDecision(true, false,
        io.pistack.operator.model.MaintenancePageDecision.Why.STARTING, true)), java.util.Set.of())).isTrue();
    assertThat(Recheck.jobsPending(plan.withPage(new io.pistack.operator.model.MaintenancePageDecision(true, true,
        io.pistack.operator.model.MaintenancePageDecision.Why.RESTORE, false)), java.util.Set.of()))
        .as("while the page is up, the Deployments' and Jobs' events bring the reconciles").isFalse();
  }
}
