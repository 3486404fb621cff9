package io.pistack.operator.runtime;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, read from environment variables (documented in docs/install.md).
 *
 * @param watchNamespaces namespaces to watch; empty means all
 * @param reconcileThreads concurrent reconciles
 */
public record RuntimeConfig(Set<String> watchNamespaces, int reconcileThreads) {
  public static RuntimeConfig fromEnv(Map<String, String> env) {
    String ns = env.getOrDefault("PI_OPERATOR_WATCH_NAMESPACES", "").trim();
    Set<String> namespaces = ns.isEmpty() ? Set.of()
        : Arrays.stream(ns.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    int threads = Integer.parseInt(env.getOrDefault("PI_OPERATOR_RECONCILE_THREADS", "5"));
    return new RuntimeConfig(namespaces, threads);
  }

  public static RuntimeConfig defaults() {
    return fromEnv(Map.of());
  }
}
