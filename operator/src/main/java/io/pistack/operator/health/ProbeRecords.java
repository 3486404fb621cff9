package io.pistack.operator.health;

import io.pistack.operator.api.v1alpha1.HealthProbeStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Converts between a {@link ProbeRecord} and the {@code health} field of a component's status.
 * The status carries the time and latency of the last change of outcome, never of the last probe,
 * so an unchanged component is not rewritten on every probe.
 */
public final class ProbeRecords {
  public static final String HEALTHY = "Healthy";
  public static final String UNHEALTHY = "Unhealthy";

  private ProbeRecords() {}

  public static HealthProbeStatus toStatus(ProbeRecord r) {
    HealthProbeStatus h = new HealthProbeStatus();
    h.result = r.result().healthy() ? HEALTHY : UNHEALTHY;
    h.httpCode = r.result().httpCode();
    h.latencyMillis = r.result().latencyMillis();
    h.version = r.result().version();
    h.message = r.result().message();
    h.time = r.since().truncatedTo(ChronoUnit.SECONDS).toString();
    return h;
  }

  /** The record a status describes, so that a restarted operator does not rewrite an unchanged one. */
  public static Optional<ProbeRecord> fromStatus(ProbeTarget target, HealthProbeStatus h) {
    if (h == null || h.result == null || h.time == null) {
      return Optional.empty();
    }
    try {
      ProbeResult result = new ProbeResult(HEALTHY.equals(h.result), h.httpCode,
          h.latencyMillis == null ? 0 : h.latencyMillis, h.version, h.message == null ? "" : h.message);
      return Optional.of(new ProbeRecord(target, result, Instant.parse(h.time)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
