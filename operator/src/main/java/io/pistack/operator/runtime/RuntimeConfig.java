package io.pistack.operator.runtime;

import io.pistack.operator.health.HealthConfig;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, read from environment variables (documented in docs/install.md).
 *
 * <ul>
 *   <li>{@code PI_OPERATOR_WATCH_NAMESPACES}: comma-separated namespaces; empty means all.
 *   <li>{@code PI_OPERATOR_RECONCILE_THREADS}: concurrent reconciles (default 5).
 *   <li>{@code PI_OPERATOR_HEALTH_INTERVAL}: time between active health probes of a component's
 *       Service or an external database (default 30s; "0" or "off" turns them off).
 *   <li>{@code PI_OPERATOR_HEALTH_TIMEOUT}: the most one probe may take (default 5s).
 *   <li>{@code PI_OPERATOR_HEALTH_CONCURRENCY}: probes at the same time (default 4).
 *   <li>{@code PI_OPERATOR_HEALTH_FAILURE_THRESHOLD}: consecutive failures before a healthy
 *       target is reported unhealthy (default 2).
 * </ul>
 * See docs/status.md for what the probes report.
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param reconcileThreads concurrent reconciles
 * @param health the active health probes
 */
public record RuntimeConfig(Set<String> watchNamespaces, int reconcileThreads, HealthConfig health) {
  public RuntimeConfig(Set<String> watchNamespaces, int reconcileThreads) {
    this(watchNamespaces, reconcileThreads, HealthConfig.defaults());
  }

  public static RuntimeConfig fromEnv(Map<String, String> env) {
    String ns = env.getOrDefault("PI_OPERATOR_WATCH_NAMESPACES", "").trim();
    Set<String> namespaces = ns.isEmpty() ? Set.of()
        : Arrays.stream(ns.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    int threads = Integer.parseInt(env.getOrDefault("PI_OPERATOR_RECONCILE_THREADS", "5"));
    return new RuntimeConfig(namespaces, threads, HealthConfig.fromEnv(env));
  }

  public static RuntimeConfig defaults() {
    return fromEnv(Map.of());
  }

  public RuntimeConfig withHealth(HealthConfig h) {
    return new RuntimeConfig(watchNamespaces, reconcileThreads, h);
  }
}
