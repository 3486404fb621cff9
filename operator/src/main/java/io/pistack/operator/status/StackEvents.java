package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubernetes Events on a PiStack, deduplicated: the same reason and message for the same stack
 * is not repeated within {@link #REPEAT_AFTER}, so a stuck stack does not flood the namespace.
 * Callers pass messages that never contain Secret values.
 */
@ApiAccess(resource = "events", verbs = "create", why = "records Kubernetes Events on PiStacks")
public class StackEvents {
  static final Duration REPEAT_AFTER = Duration.ofMinutes(30);
  private static final Logger LOG = LoggerFactory.getLogger(StackEvents.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final Map<String, Sent> lastSent = new ConcurrentHashMap<>();

  public StackEvents(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  public void normal(PiStack stack, String reason, String message) {
    emit(stack, "Normal", reason, message);
  }

  public void warning(PiStack stack, String reason, String message) {
    emit(stack, "Warning", reason, message);
  }

  private void emit(PiStack stack, String type, String reason, String message) {
    String key = stack.getMetadata().getUid() + "/" + reason;
    Instant now = clock.instant();
    Sent previous = lastSent.get(key);
    if (previous != null && previous.message.equals(message)
        && previous.at.plus(REPEAT_AFTER).isAfter(now)) {
      return;
    }
    lastSent.put(key, new Sent(message, now));
    // Entries older than the repeat window no longer suppress anything: dropping them keeps the
    // map bounded by the events of the last window (deleted stacks included).
    lastSent.values().removeIf(sent -> !sent.at.plus(REPEAT_AFTER).isAfter(now));
    String ts = now.toString();
    Event event = new EventBuilder()
        .withNewMetadata()
        .withName(stack.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
        .withNamespace(stack.getMetadata().getNamespace())
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(stack.getApiVersion()).withKind(stack.getKind())
            .withName(stack.getMetadata().getName()).withNamespace(stack.getMetadata().getNamespace())
            .withUid(stack.getMetadata().getUid()).withResourceVersion(stack.getMetadata().getResourceVersion())
            .build())
        .withType(type).withReason(reason).withMessage(truncate(message))
        .withFirstTimestamp(ts).withLastTimestamp(ts).withCount(1)
        .withNewSource().withComponent("pi-operator").endSource()
        .withReportingComponent("pi-operator")
        .build();
    try {
      client.v1().events().inNamespace(stack.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      // An event is a courtesy: failing to record one must never fail a reconcile.
      LOG.warn("could not record event {} on {}: HTTP {}", reason, stack.getMetadata().getName(), e.getCode());
    }
  }


  private static String truncate(String m) {
    return m.length() > 1000 ? m.substring(0, 1000) + "..." : m;
  }

  private record Sent(String message, Instant at) {}
}
