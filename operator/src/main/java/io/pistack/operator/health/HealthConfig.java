package io.pistack.operator.health;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of the active health probes (environment variables documented in RuntimeConfig and
 * docs/status.md).
 *
 * @param interval time between two probes of the same target; zero turns active probes off
 * @param timeout the most one probe may take (connect, answer and body)
 * @param concurrency probes run at the same time, on the probe executor (never a reconcile thread)
 * @param failureThreshold consecutive failures before a healthy target is reported unhealthy
 * @param resolver where a target is reached (cluster DNS in production)
 * @param listener sees every probe (live latency for metrics)
 */
public record HealthConfig(Duration interval, Duration timeout, int concurrency, int failureThreshold,
    ProbeAddressResolver resolver, ProbeListener listener) {
  public static final String INTERVAL_ENV = "PI_OPERATOR_PROBE_INTERVAL";
  public static final String TIMEOUT_ENV = "PI_OPERATOR_PROBE_TIMEOUT";
  public static final String CONCURRENCY_ENV = "PI_OPERATOR_PROBE_CONCURRENCY";
  public static final String FAILURE_THRESHOLD_ENV = "PI_OPERATOR_PROBE_FAILURE_THRESHOLD";
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
  public static final int DEFAULT_CONCURRENCY = 4;
  public static final int DEFAULT_FAILURE_THRESHOLD = 2;

  public HealthConfig {
    if (interval.isNegative() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("health interval must be >= 0 and timeout > 0");
    }
    if (concurrency < 1 || failureThreshold < 1) {
      throw new IllegalArgumentException("health concurrency and failure threshold must be >= 1");
    }
  }

  public static HealthConfig defaults() {
    return fromEnv(Map.of());
  }

  public static HealthConfig disabled() {
    return defaults().withInterval(Duration.ZERO);
  }

  /**
   * {@value #INTERVAL_ENV} (default 30s; "0", "off" or "false" turns probes off), {@value
   * #TIMEOUT_ENV} (default 5s), {@value #CONCURRENCY_ENV} (default 4), {@value
   * #FAILURE_THRESHOLD_ENV} (default 2). Durations: "30s", "500ms", "2m" or plain seconds.
   */
  public static HealthConfig fromEnv(Map<String, String> env) {
    String interval = env.getOrDefault(INTERVAL_ENV, "").trim().toLowerCase(Locale.ROOT);
    Duration every = switch (interval) {
      case "" -> DEFAULT_INTERVAL;
      case "off", "false", "disabled", "none" -> Duration.ZERO;
      default -> duration(INTERVAL_ENV, interval);
    };
    String timeout = env.getOrDefault(TIMEOUT_ENV, "").trim();
    return new HealthConfig(every, timeout.isEmpty() ? DEFAULT_TIMEOUT : duration(TIMEOUT_ENV, timeout),
        integer(env, CONCURRENCY_ENV, DEFAULT_CONCURRENCY), integer(env, FAILURE_THRESHOLD_ENV,
            DEFAULT_FAILURE_THRESHOLD), ProbeAddressResolver.CLUSTER_DNS, ProbeListener.NONE);
  }

  public boolean enabled() {
    return !interval.isZero();
  }

  public HealthConfig withInterval(Duration every) {
    return new HealthConfig(every, timeout, concurrency, failureThreshold, resolver, listener);
  }

  public HealthConfig withTimeout(Duration t) {
    return new HealthConfig(interval, t, concurrency, failureThreshold, resolver, listener);
  }

  public HealthConfig withFailureThreshold(int n) {
    return new HealthConfig(interval, timeout, concurrency, n, resolver, listener);
  }

  public HealthConfig withResolver(ProbeAddressResolver r) {
    return new HealthConfig(interval, timeout, concurrency, failureThreshold, r, listener);
  }

  public HealthConfig withListener(ProbeListener l) {
    return new HealthConfig(interval, timeout, concurrency, failureThreshold, resolver, l);
  }

  static Duration duration(String name, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      }
      if (v.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      }
      return Duration.ofSeconds(Long.parseLong(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": not a duration (e.g. 30s, 500ms, 2m): " + value);
    }
  }

  private static int integer(Map<String, String> env, String name, int fallback) {
    String v = env.getOrDefault(name, "").trim();
    try {
      return v.isEmpty() ? fallback : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": not a number: " + v);
    }
  }
}
