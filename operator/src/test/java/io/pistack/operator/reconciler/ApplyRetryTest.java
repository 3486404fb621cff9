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

class ApplyRetryTest {
  static KubernetesClientException answered(int code) {
    return new KubernetesClientException(new StatusBuilder().withCode(code).withReason("R").build());
  }

  @Test
  void whatTheApiServerMeansAsTryAgainIsTransientARefusalIsNot() {
    for (int code : new int[] {409, 429, 500, 502, 503, 504}) {
      assertThat(ApplyRetry.isTransient(new RuntimeException(answered(code)))).as("HTTP %d", code).isTrue();
    }
    for (int code : new int[] {400, 403, 404, 410, 422}) {
      assertThat(ApplyRetry.isTransient(answered(code))).as("HTTP %d", code).isFalse();
    }
    // No answer: a timeout or a cut connection, as fabric8 wraps them.
    assertThat(ApplyRetry.isTransient(new KubernetesClientException("timed out", new SocketTimeoutException())))
        .isTrue();
    assertThat(ApplyRetry.isTransient(new IOException("connection reset"))).isTrue();
    // A bug of our own is not cured by asking again soon.
    assertThat(ApplyRetry.isTransient(new IllegalStateException("builder"))).isFalse();
  }

  @Test
  void consecutiveTransientFailuresBackOffToThirtySecondsAndASuccessStartsAgain() {
    ApplyRetry retry = new ApplyRetry();
    ResourceID a = new ResourceID("a", "ns");
    ResourceID b = new ResourceID("b", "ns");
    List<Duration> delays = IntStream.range(0, 8)
        .mapToObj(i -> retry.after(a, List.of(answered(409))).orElseThrow()).toList();
    assertThat(delays).extracting(Duration::toSeconds).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
    // Each stack counts its own failures.
    assertThat(retry.after(b, List.of(answered(503)))).contains(Duration.ofSeconds(1));
    assertThat(retry.after(a, List.of())).isEmpty();
    assertThat(retry.after(a, List.of(answered(429)))).contains(Duration.ofSeconds(1));
  }

  @Test
  void aRefusalAmongTheErrorsIsLookedAtAgainInThirtySeconds() {
    ApplyRetry retry = new ApplyRetry();
    ResourceID a = new ResourceID("a", "ns");
    assertThat(retry.after(a, List.of(answered(409), answered(422)))).contains(Duration.ofSeconds(30));
    assertThat(retry.after(a, List.of(answered(403)))).contains(Duration.ofSeconds(30));
    // ... and does not count as a transient failure in a row.
    assertThat(retry.after(a, List.of(answered(409)))).contains(Duration.ofSeconds(1));
  }
}
