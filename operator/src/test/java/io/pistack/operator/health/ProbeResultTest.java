package io.pistack.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Outcomes, not message text, decide whether a probe is news (a status write and an Event). */
class ProbeResultTest {

  @Test
  void twoFailureMessagesOfTheSameOutcomeAreNoNews() {
    ProbeResult timedOut = new ProbeResult(false, null, 5000, null, "timed out after 5s");
    ProbeResult refused = new ProbeResult(false, null, 3, null, "connection refused");
    assertThat(timedOut.sameOutcome(refused)).isTrue();
    assertThat(refused.sameOutcome(timedOut)).isTrue();
  }

  @Test
  void aDifferentOutcomeCodeOrVersionIsNews() {
    ProbeResult down = new ProbeResult(false, 503, 10, null, "HTTP 503");
    assertThat(down.sameOutcome(new ProbeResult(false, 500, 10, null, "HTTP 500"))).isFalse();
    assertThat(down.sameOutcome(new ProbeResult(false, null, 10, null, "timed out after 5s"))).isFalse();
    assertThat(new ProbeResult(true, 200, 1, "1", "").sameOutcome(new ProbeResult(true, 200, 1, "2", ""))).isFalse();
    assertThat(new ProbeResult(true, 200, 1, "1", "").sameOutcome(down)).isFalse();
  }
}
