package io.pistack.operator.reconciler;

import static io.pistack.operator.reconciler.Recheck.RECHECK_MISSING_SECRETS;
import static io.pistack.operator.reconciler.Recheck.RECHECK_RECORDED_JOBS;
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
}
