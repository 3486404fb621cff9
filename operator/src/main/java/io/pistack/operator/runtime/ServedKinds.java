package io.pistack.operator.runtime;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's own kinds (PiStack, PiBackup) must be served before it starts: without a CRD its informer would
 * retry "Not Found" until the cache-sync timeout and the start would fail naming an informer, not the cause. Asked
 * through API discovery (no extra permission: discovery is open to every authenticated client). Only a definite
 * answer fails the start; a discovery call that fails for another reason is left to the informers' own retries.
 * The API server lists a new CRD's kind a moment after it marks the CRD Established, so an operator started with its
 * CRDs (a helm install on a fresh cluster) asks again for {@link #DISCOVERY_WAIT} before it refuses.
 */
@io.pistack.operator.access.ApiAccess.PassesClient("reads the API discovery only (/apis/pistack.io/v1alpha1), no resource")
final class ServedKinds {
  static final String GROUP_VERSION = "pistack.io/v1alpha1";
  static final List<String> REQUIRED = List.of("pistacks", "pibackups");
  /** How long the start asks discovery again for a kind it does not list yet. */
  static final Duration DISCOVERY_WAIT = Duration.ofSeconds(10);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);
  private static final Logger LOG = LoggerFactory.getLogger(ServedKinds.class);

  /** Pauses between two questions to discovery (a fake one in unit tests: they never sleep). */
  interface Sleeper {
    void sleep(Duration pause) throws InterruptedException;
  }

  private ServedKinds() {
  }

  /** Fails the start, saying what to do, when a required kind is still not served after {@link #DISCOVERY_WAIT}. */
  static void require(KubernetesClient client) {
    require(() -> absent(client), System::nanoTime, pause -> Thread.sleep(pause.toMillis()), DISCOVERY_WAIT);
  }

  /**
   * Asks {@code absentNow} (the required kinds discovery does not list) until it answers none or {@code wait} has
   * passed on {@code nanoTime}, pausing 0.1 s, then twice as long each time up to 1 s; then refuses.
   */
  static void require(Supplier<List<String>> absentNow, LongSupplier nanoTime, Sleeper sleeper, Duration wait) {
    List<String> absent = absentNow.get();
    if (absent.isEmpty()) {
      return;
    }
    LOG.info("API discovery does not list {} ({}) yet; asking again for up to {} s before refusing to start",
        names(absent), GROUP_VERSION, wait.toSeconds());
    long deadline = nanoTime.getAsLong() + wait.toNanos();
    Duration pause = FIRST_PAUSE;
    for (long left = deadline - nanoTime.getAsLong(); left > 0; left = deadline - nanoTime.getAsLong()) {
      try {
        sleeper.sleep(Duration.ofNanos(Math.min(pause.toNanos(), left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for API discovery to list " + names(absent), e);
      }
      absent = absentNow.get();
      if (absent.isEmpty()) {
        LOG.info("API discovery lists every kind of {} now", GROUP_VERSION);
        return;
      }
      pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
    }
    throw new IllegalStateException(message(absent));
  }

  /** The required kinds discovery definitely does not list; none when it lists all or could not be asked. */
  static List<String> absent(KubernetesClient client) {
    APIResourceList served;
    try {
      served = client.getApiResources(GROUP_VERSION);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("could not ask the API server whether it serves {} (HTTP {}); starting anyway", GROUP_VERSION,
            e.getCode());
        return List.of();
      }
      served = null;
    }
    Set<String> names = served == null || served.getResources() == null ? Set.of()
        : served.getResources().stream().map(APIResource::getName).collect(Collectors.toSet());
    return REQUIRED.stream().filter(r -> !names.contains(r)).toList();
  }

  static String message(List<String> absent) {
    return "the cluster does not serve " + names(absent) + " (" + GROUP_VERSION + "): apply this release's CRDs first"
        + " (kubectl apply --server-side --force-conflicts -f helm/pi-operator/crds/; helm upgrade does not update"
        + " CRDs, see docs/install.md)";
  }

  private static String names(List<String> absent) {
    return absent.stream().map(r -> r + ".pistack.io").collect(Collectors.joining(" and "));
  }
}
