package io.pistack.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ErrorBackoffTransientTest {
  static KubernetesClientException answered(int code) {
    return new KubernetesClientException(new StatusBuilder().withCode(code).withReason("R").build());
  }

  @Test
  void whatTheApiServerMeansAsTryAgainIsTransientARefusalIsNot() {
    for (int code : new int[] {409, 429, 500, 502, 503, 504}) {
      assertThat(ErrorBackoff.isTransient(new RuntimeException(answered(code)))).as("HTTP %d", code).isTrue();
    }
    for (int code : new int[] {400, 403, 404, 410, 422}) {
      assertThat(ErrorBackoff.isTransient(answered(code))).as("HTTP %d", code).isFalse();
    }
    // No answer: a timeout or a cut connection, as fabric8 wraps them.
    assertThat(ErrorBackoff.isTransient(new KubernetesClientException("timed out", new SocketTimeoutException())))
        .isTrue();
    assertThat(ErrorBackoff.isTransient(new IOException("connection reset"))).isTrue();
    // A bug of our own is not cured by asking again soon.
    assertThat(ErrorBackoff.isTransient(new IllegalStateException("builder"))).isFalse();
  }

  @Test
  void consecutiveTransientFailuresBackOffToThirtySecondsAndASuccessStartsAgain() {
    ErrorBackoff backoff = new ErrorBackoff();
    ResourceID a = new ResourceID("a", "ns");
    ResourceID b = new ResourceID("b", "ns");
    List<Duration> delays = IntStream.range(0, 8)
        .mapToObj(i -> backoff.failed(a, 1L, List.of(answered(409)))).toList();
    assertThat(delays).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    // Each stack counts its own failures.
    assertThat(backoff.failed(b, 1L, List.of(answered(503)))).isEqualTo(Duration.ofSeconds(1));
    backoff.succeeded(a);
    assertThat(backoff.failed(a, 1L, List.of(answered(429)))).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aRefusalAmongTheErrorsBacksOffFromTwoSecondsToFiveMinutes() {
    ErrorBackoff backoff = new ErrorBackoff();
    ResourceID a = new ResourceID("a", "ns");
    assertThat(backoff.failed(a, 1L, List.of(answered(409), answered(422)))).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.failed(a, 1L, List.of(answered(403)))).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.failed(a, 1L, List.of(new IllegalStateException("builder")))).isEqualTo(Duration.ofSeconds(8));
    for (int i = 0; i < 10; i++) {
      backoff.failed(a, 1L, List.of(answered(403)));
    }
    assertThat(backoff.failed(a, 1L, List.of(answered(403)))).isEqualTo(Duration.ofMinutes(5));
    // A persisting "try again" never waits more than 30 s, whatever came before.
    assertThat(backoff.failed(a, 1L, List.of(answered(503)))).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void aTryAgainAnswerIsReportedOnlyWhenItRepeatsARefusalAtOnce() {
    ErrorBackoff backoff = new ErrorBackoff();
    ResourceID a = new ResourceID("a", "ns");
    List<Exception> conflict = List.of(answered(409));
    backoff.failed(a, 1L, conflict);
    assertThat(backoff.reported(a, conflict)).as("first 409").isFalse();
    backoff.failed(a, 1L, conflict);
    assertThat(backoff.reported(a, conflict)).as("second 409").isFalse();
    backoff.failed(a, 1L, conflict);
    assertThat(backoff.reported(a, conflict)).as("third 409 in a row").isTrue();
    backoff.succeeded(a);
    backoff.failed(a, 1L, conflict);
    assertThat(backoff.reported(a, conflict)).as("after a success, a blip again").isFalse();

    ResourceID b = new ResourceID("b", "ns");
    List<Exception> refused = List.of(answered(403));
    backoff.failed(b, 1L, refused);
    assertThat(backoff.reported(b, refused)).as("a refusal").isTrue();
  }
}
