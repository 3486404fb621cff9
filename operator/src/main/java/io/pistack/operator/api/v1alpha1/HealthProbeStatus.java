package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthProbeStatus {
  @JsonPropertyDescription("Healthy or Unhealthy.")
  public String result;

  @JsonPropertyDescription("The HTTP status code; absent for TCP checks and when nothing answered.")
  public Integer httpCode;

  @JsonPropertyDescription("Latency of the probe that first saw this result (live latency is a metric).")
  public Long latencyMillis;

  @JsonPropertyDescription("The version the component reports on its /version endpoint.")
  public String version;

  @JsonPropertyDescription("Short reason when unhealthy (no response bodies).")
  public String message;

  @JsonPropertyDescription("Since when the probe sees this result (RFC 3339). Status is not rewritten"
      + " by probes that see the same result.")
  public String time;

  @Override
  public boolean equals(Object o) {
    return o instanceof HealthProbeStatus h
        && Objects.equals(result, h.result)
        && Objects.equals(httpCode, h.httpCode)
        && Objects.equals(latencyMillis, h.latencyMillis)
        && Objects.equals(version, h.version)
        && Objects.equals(message, h.message)
        && Objects.equals(time, h.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(result, httpCode, latencyMillis, version, message, time);
  }
}
