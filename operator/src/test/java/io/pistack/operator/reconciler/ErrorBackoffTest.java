package io.pistack.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorBackoffTest {
  private static final List<Exception> REFUSED = List.of(ErrorBackoffTransientTest.answered(422));

  @Test
  void doublesFromTwoSecondsToAtMostFiveMinutes() {
    assertThat(ErrorBackoff.delay(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(ErrorBackoff.delay(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(ErrorBackoff.delay(3)).isEqualTo(Duration.ofSeconds(8));
    assertThat(ErrorBackoff.delay(8)).isEqualTo(Duration.ofSeconds(256));
    assertThat(ErrorBackoff.delay(9)).isEqualTo(Duration.ofMinutes(5));
    assertThat(ErrorBackoff.delay(10)).isEqualTo(Duration.ofMinutes(5));
    assertThat(ErrorBackoff.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
    assertThat(ErrorBackoff.delay(0)).as("never shorter than the first").isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void countsConsecutiveFailuresPerStackAndStartsAgainAfterASuccess() {
    ErrorBackoff backoff = new ErrorBackoff();
    ResourceID a = new ResourceID("a", "ns");
    ResourceID b = new ResourceID("b", "ns");
    assertThat(backoff.failed(a, 1L, REFUSED)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.failed(a, 1L, REFUSED)).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.failed(a, 1L, REFUSED)).isEqualTo(Duration.ofSeconds(8));
    assertThat(backoff.failed(b, 1L, REFUSED)).as("each stack has its own count").isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.failures(a)).isEqualTo(3);

    backoff.succeeded(a);
    assertThat(backoff.failures(a)).isZero();
    assertThat(backoff.failed(a, 1L, REFUSED)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.failed(b, 1L, REFUSED)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void aNewSpecGenerationStartsTheCountAgain() {
    ErrorBackoff backoff = new ErrorBackoff();
    ResourceID a = new ResourceID("a", "ns");
    for (int i = 0; i < 9; i++) {
      backoff.failed(a, 1L, REFUSED);
    }
    assertThat(backoff.failed(a, 1L, REFUSED)).as("refused for a while").isEqualTo(Duration.ofMinutes(5));
    // The user edits the spec (perhaps the fix): if it still fails, the next attempt comes 2 s later.
    assertThat(backoff.failed(a, 2L, REFUSED)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.failures(a)).isEqualTo(1);
    assertThat(backoff.failed(a, 2L, REFUSED)).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void aDeletedStackKeepsNoCount() {
    ErrorBackoff backoff = new ErrorBackoff();
    ResourceID a = new ResourceID("a", "ns");
    ResourceID b = new ResourceID("b", "ns");
    backoff.failed(a, 1L, REFUSED);
    backoff.failed(a, 1L, REFUSED);
    backoff.failed(b, 1L, REFUSED);
    assertThat(backoff.tracked()).isEqualTo(2);

    backoff.forget(a);
    assertThat(backoff.tracked()).as("the deleted stack's count is gone, the other's kept").isEqualTo(1);
    assertThat(backoff.failures(b)).isEqualTo(1);
    assertThat(backoff.failed(a, 1L, REFUSED)).as("a new stack of that name starts again").isEqualTo(Duration.ofSeconds(2));
    backoff.succeeded(a);
    backoff.succeeded(b);
    assertThat(backoff.tracked()).as("a success leaves no entry either").isZero();
  }

  @Test
  void aFailureEveryTwoSecondsForAnHourMakesFewReconciles() {
    // The schedule a persistently failing stack follows: its reconciles grow as log(t) until the
    // cap, then one per 5 minutes (the 2 s recheck would make 1800).
    ErrorBackoff backoff = new ErrorBackoff();
    ResourceID a = new ResourceID("a", "ns");
    long t = 0;
    int reconciles = 0;
    while (t < Duration.ofHours(1).toMillis()) {
      t += backoff.failed(a, 1L, REFUSED).toMillis();
      reconciles++;
    }
    assertThat(reconciles).isBetween(15, 20);
  }
}
