package io.pistack.operator.runtime;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's own kinds (PiStack, PiBackup) must be served before it starts: without a CRD its informer would
 * retry "Not Found" until the cache-sync timeout and the start would fail naming an informer, not the cause. Asked
 * through API discovery (no extra permission: discovery is open to every authenticated client). Only a definite
 * answer fails the start; a discovery call that fails for another reason is left to the informers' own retries.
 */
@io.pistack.operator.access.ApiAccess.PassesClient("reads the API discovery only (/apis/pistack.io/v1alpha1), no resource")
final class ServedKinds {
  static final String GROUP_VERSION = "pistack.io/v1alpha1";
  static final List<String> REQUIRED = List.of("pistacks", "pibackups");
  private static final Logger LOG = LoggerFactory.getLogger(ServedKinds.class);

  private ServedKinds() {
  }

  /** Fails the start, saying what to do, when a required kind is definitely not served. */
  static void require(KubernetesClient client) {
    missing(client).ifPresent(why -> {
      throw new IllegalStateException(why);
    });
  }

  /** The start-up message when a required kind is not served, else empty. */
  static Optional<String> missing(KubernetesClient client) {
    APIResourceList served;
    try {
      served = client.getApiResources(GROUP_VERSION);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        LOG.warn("could not ask the API server whether it serves {} (HTTP {}); starting anyway", GROUP_VERSION,
            e.getCode());
        return Optional.empty();
      }
      served = null;
    }
    Set<String> names = served == null || served.getResources() == null ? Set.of()
        : served.getResources().stream().map(APIResource::getName).collect(Collectors.toSet());
    List<String> absent = REQUIRED.stream().filter(r -> !names.contains(r)).toList();
    return absent.isEmpty() ? Optional.empty() : Optional.of(message(absent));
  }

  static String message(List<String> absent) {
    return "the cluster does not serve " + absent.stream().map(r -> r + ".pistack.io").collect(Collectors.joining(
        " and ")) + " (" + GROUP_VERSION + "): apply this release's CRDs first (kubectl apply --server-side"
        + " --force-conflicts -f helm/pi-operator/crds/; helm upgrade does not update CRDs, see docs/install.md)";
  }
}
