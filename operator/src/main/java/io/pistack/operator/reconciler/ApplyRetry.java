package io.pistack.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * When to look at a stack again after applying its children failed. An answer by which the API
 * server means "try again" (409 Conflict: the object changed in between; 429 Too Many Requests;
 * 500, 502, 503, 504) or no answer at all (a timeout, a cut connection) is retried soon, backing off
 * over consecutive failures of the same stack: 1, 2, 4, 8, 16 s, then every 30 s. Anything else (a
 * refusal such as 403 or 422, which a retry does not cure) is looked at again every 30 s. A
 * successful apply forgets the stack's failures.
 */
final class ApplyRetry {
  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration CEILING = Duration.ofSeconds(30);
  static final Set<Integer> TRANSIENT_CODES = Set.of(409, 429, 500, 502, 503, 504);

  private final Map<ResourceID, Integer> consecutive = new ConcurrentHashMap<>();

  /** The delay after this apply of the stack {@code id}: empty when nothing failed. */
  Optional<Duration> after(ResourceID id, Collection<? extends Throwable> errors) {
    if (errors.isEmpty()) {
      consecutive.remove(id);
      return Optional.empty();
    }
    if (!errors.stream().allMatch(ApplyRetry::isTransient)) {
      consecutive.remove(id);
      return Optional.of(CEILING);
    }
    return Optional.of(delay(consecutive.merge(id, 1, Integer::sum)));
  }

  /** The delay after the {@code failures}-th transient failure in a row (1 = the first). */
  static Duration delay(int failures) {
    int doublings = Math.min(Math.max(failures - 1, 0), 5);
    Duration d = FIRST.multipliedBy(1L << doublings);
    return d.compareTo(CEILING) > 0 ? CEILING : d;
  }

  /** True when the API server asked to try again, or never answered. */
  static boolean isTransient(Throwable error) {
    boolean noAnswer = false;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        return TRANSIENT_CODES.contains(k.getCode());
      }
      noAnswer |= t instanceof IOException || t instanceof TimeoutException
          || t instanceof KubernetesClientException;
    }
    return noAnswer;
  }
}
