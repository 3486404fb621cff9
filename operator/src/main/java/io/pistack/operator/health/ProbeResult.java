package io.pistack.operator.health;

import java.util.Objects;

/**
 * What one probe saw. {@link #sameOutcome} compares outcomes, never text: the latency changes on
 * every probe, and a failing endpoint may alternate between two messages ("timed out after 5s",
 * "connection refused"). Only a different outcome, HTTP code or version is news worth a reconcile, a
 * status write and an Event; the status keeps the message of the first probe with that outcome.
 *
 * @param healthy true when the endpoint answered 2xx (HTTP) or accepted the connection (TCP)
 * @param httpCode the HTTP status code, null for TCP checks and when there was no answer
 * @param latencyMillis how long the probe took
 * @param version the version the component reported (first line of the /version body), or null
 * @param message a short, body-free explanation when unhealthy ("HTTP 503", "timed out after 5s")
 */
public record ProbeResult(boolean healthy, Integer httpCode, long latencyMillis, String version, String message) {

  public boolean sameOutcome(ProbeResult other) {
    return other != null && healthy == other.healthy && Objects.equals(httpCode, other.httpCode)
        && Objects.equals(version, other.version);
  }
}
