package io.pistack.operator.runtime;

import io.pistack.operator.health.HealthConfig;
import io.pistack.operator.model.MaintenanceWindows;
import io.pistack.operator.model.OperatorIdentity;
import io.pistack.operator.model.OperatorPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The operator's settings, read from environment variables. The table in docs/install.md lists
 * every variable; {@link Variable} is its source of truth (name, default, meaning).
 *
 * <p>Invalid values never surface as a bare stack trace: {@link #fromEnv} throws an
 * {@link InvalidConfigException} whose message names each offending variable and what it accepts.
 *
 * @param watchNamespaces namespaces to watch; empty means all namespaces
 * @param leaderElection whether to elect a leader through a Lease (needed when replicas &gt; 1)
 * @param leaseName name of the Lease
 * @param leaseNamespace namespace of the Lease; empty means the pod's own namespace
 * @param reconcileThreads concurrent reconciles
 * @param health the active health probes (interval, timeout, concurrency, failure threshold)
 * @param logLevel root log level (TRACE, DEBUG, INFO, WARN, ERROR)
 * @param logFormat text or json
 * @param httpPort port of /healthz, /readyz and /metrics
 * @param leaseTiming lease duration, renew deadline and retry period of the leader election
 * @param operator the operator's own namespace and pod labels (its stacks' NetworkPolicies admit it)
 * @param policy what the operator refuses to create for a PiStack (docs/security.md)
 * @param cacheSyncTimeout how long the start waits for every informer's first LIST (retried meanwhile)
 * @param shard the PiStacks and namespaces of this operator's share of the fleet (docs/sizing.md)
 * @param maintenanceWindows when disruptive changes may start, for stacks that name no window of their own
 */
public record RuntimeConfig(Set<String> watchNamespaces, boolean leaderElection, String leaseName,
    Optional<String> leaseNamespace, int reconcileThreads, HealthConfig health, String logLevel,
    LogFormat logFormat, int httpPort, LeaderElection.Timing leaseTiming, OperatorIdentity operator,
    OperatorPolicy policy, Duration cacheSyncTimeout, ShardConfig shard, MaintenanceWindows maintenanceWindows) {

  /** The environment variables, with their defaults. */
  public enum Variable {
    WATCH_NAMESPACES("PI_OPERATOR_WATCH_NAMESPACES", "",
        "Comma-separated namespaces to watch; empty watches all namespaces."),
    LEADER_ELECTION("PI_OPERATOR_LEADER_ELECTION", "false",
        "true|false. Elect a leader through a Lease; required when more than one replica runs."),
    LEASE_NAME("PI_OPERATOR_LEASE_NAME", "pi-operator-leader", "Name of the leader-election Lease."),
    LEASE_NAMESPACE("PI_OPERATOR_LEASE_NAMESPACE", "",
        "Namespace of the Lease; empty means the pod's namespace (from the service account)."),
    LEASE_DURATION("PI_OPERATOR_LEASE_DURATION", "15s",
        "How long a standby waits for a leader that stopped renewing (crashed) before it takes over."),
    LEASE_RENEW_DEADLINE("PI_OPERATOR_LEASE_RENEW_DEADLINE", "10s",
        "How long the leader keeps trying to renew before it gives up leading; below the lease duration."),
    LEASE_RETRY_PERIOD("PI_OPERATOR_LEASE_RETRY_PERIOD", "2s",
        "How often replicas try to acquire or renew the Lease; below the renew deadline."),
    RECONCILE_THREADS("PI_OPERATOR_RECONCILE_THREADS", "5", "Concurrent reconciles, 1-100."),
    PROBE_INTERVAL(HealthConfig.INTERVAL_ENV, "30s",
        "Interval of the active component health probes (e.g. 30s, 2m, PT1M or plain seconds); 0 or off disables"
            + " them. Unset outside a cluster (no KUBERNETES_SERVICE_HOST), they are off."),
    PROBE_TIMEOUT(HealthConfig.TIMEOUT_ENV, "5s", "The most one health probe may take (e.g. 5s, 500ms)."),
    PROBE_CONCURRENCY(HealthConfig.CONCURRENCY_ENV, "4", "Health probes running at the same time, at least 1."),
    PROBE_FAILURE_THRESHOLD(HealthConfig.FAILURE_THRESHOLD_ENV, "2",
        "Consecutive failed probes before a healthy component is reported unhealthy, at least 1."),
    LOG_LEVEL("PI_OPERATOR_LOG_LEVEL", "INFO", "TRACE, DEBUG, INFO, WARN or ERROR (any case)."),
    LOG_FORMAT("PI_OPERATOR_LOG_FORMAT", "text", "text, or json (one JSON object per line, for log shippers)."),
    HTTP_PORT("PI_OPERATOR_HTTP_PORT", "8080", "Port serving /healthz, /readyz and /metrics, 1-65535."),
    NAMESPACE("PI_OPERATOR_NAMESPACE", "",
        "The operator's own namespace; empty reads the service account's (none outside the cluster)."),
    POD_LABELS("PI_OPERATOR_POD_LABELS", "app.kubernetes.io/name=pi-operator",
        "Labels of the operator's pods, key=value,...: the stacks' NetworkPolicies admit its checks from these pods"
            + " in its namespace only."),
    ALLOW_SERVICE_ACCOUNT_TOKENS(OperatorPolicy.Setting.SERVICE_ACCOUNT_TOKENS.env, "false",
        "true|false. Allow projected service-account tokens in a PiStack's extra volumes."),
    ALLOW_HOST_PATH(OperatorPolicy.Setting.HOST_PATH.env, "false", "true|false. Allow hostPath extra volumes."),
    ALLOW_HOST_NAMESPACES(OperatorPolicy.Setting.HOST_NAMESPACES.env, "false",
        "true|false. Allow hostPort (and host namespaces) in a PiStack's init containers and sidecars."),
    ALLOW_PRIVILEGED(OperatorPolicy.Setting.PRIVILEGED.env, "false",
        "true|false. Allow privileged containers, allowPrivilegeEscalation and added capabilities in a PiStack."),
    SERVICE_ACCOUNTS(OperatorPolicy.Setting.SERVICE_ACCOUNTS.env, "",
        "Comma-separated service accounts a PiStack's pods may run as; empty allows any."),
    ALLOW_INGRESS_SNIPPETS(OperatorPolicy.Setting.INGRESS_SNIPPETS.env, "false",
        "true|false. Allow Ingress annotations ending in -snippet (configuration-snippet, server-snippet, ...)."),
    ALLOW_STACKS_IN_OPERATOR_NAMESPACE(OperatorPolicy.Setting.OPERATOR_NAMESPACE.env, "false",
        "true|false. Reconcile PiStacks in the operator's own namespace (refused by default)."),
    CACHE_SYNC_TIMEOUT("PI_OPERATOR_CACHE_SYNC_TIMEOUT", "10m",
        "How long the start waits for every watched kind's first LIST (a failed or slow LIST is retried"
            + " meanwhile, not ready) before it gives up and exits (e.g. 10m, 90s)."),
    STACK_SELECTOR("PI_OPERATOR_STACK_SELECTOR", "",
        "A label selector (e.g. pistack.io/shard=a): this operator serves only the PiStacks it matches; empty serves"
            + " all. Two operators with disjoint selectors share a fleet."),
    NAMESPACE_SELECTOR("PI_OPERATOR_NAMESPACE_SELECTOR", "",
        "A label selector on namespaces (e.g. pistack.io/fleet=on): the watched namespaces are those it matches,"
            + " followed at run time; empty uses PI_OPERATOR_WATCH_NAMESPACES. Needs list/watch on namespaces."),
    MAINTENANCE_WINDOWS("PI_OPERATOR_MAINTENANCE_WINDOWS", "",
        "When version changes may start, for PiStacks without spec.maintenanceWindows: windows separated by ;,"
            + " each \"days start duration [time zone]\", e.g. \"Sat,Sun 02:00 4h Europe/London\". Empty: always.");

    public final String env;
    public final String defaultValue;
    public final String description;

    Variable(String env, String defaultValue, String description) {
      this.env = env;
      this.defaultValue = defaultValue;
      this.description = description;
    }
  }

  public enum LogFormat { TEXT, JSON }

  /** Set by Kubernetes in every container of a pod; absent when the operator runs from a laptop. */
  public static final String IN_CLUSTER_ENV = "KUBERNETES_SERVICE_HOST";

  public RuntimeConfig {
    watchNamespaces = Set.copyOf(watchNamespaces);
  }

  /** Thrown with a message fit for an operator's eyes: one line per bad variable. */
  public static final class InvalidConfigException extends IllegalArgumentException {
    public InvalidConfigException(List<String> problems) {
      super("invalid configuration:\n  - " + String.join("\n  - ", problems));
    }
  }

  public static RuntimeConfig fromEnv(Map<String, String> env) {
    EnvReader r = new EnvReader(env);
    Set<String> namespaces = r.namespaces();
    boolean leaderElection = r.bool(Variable.LEADER_ELECTION);
    String leaseName = r.name(Variable.LEASE_NAME, EnvReader.DNS_SUBDOMAIN, 253);
    String leaseNamespace = r.raw(Variable.LEASE_NAMESPACE).isEmpty() ? ""
        : r.name(Variable.LEASE_NAMESPACE, EnvReader.DNS_LABEL, 63);
    int threads = r.integer(Variable.RECONCILE_THREADS, 1, 100);
    Duration probe = probesOffOutOfCluster(env) ? Duration.ZERO : r.duration(Variable.PROBE_INTERVAL);
    HealthConfig health = r.health(probe);
    String level = r.logLevel();
    LogFormat format = r.logFormat();
    int port = r.integer(Variable.HTTP_PORT, 1, 65535);
    LeaderElection.Timing timing = r.leaseTiming();
    OperatorIdentity operator = r.operator();
    OperatorPolicy policy = new OperatorPolicy(r.bool(Variable.ALLOW_SERVICE_ACCOUNT_TOKENS),
        r.bool(Variable.ALLOW_HOST_PATH), r.bool(Variable.ALLOW_HOST_NAMESPACES), r.bool(Variable.ALLOW_PRIVILEGED),
        r.serviceAccounts(), r.bool(Variable.ALLOW_INGRESS_SNIPPETS), r.bool(Variable.ALLOW_STACKS_IN_OPERATOR_NAMESPACE));
    Duration cacheSync = r.positive(Variable.CACHE_SYNC_TIMEOUT);
    ShardConfig shard = r.shard(namespaces);
    MaintenanceWindows windows = MaintenanceWindows.parse(r.raw(Variable.MAINTENANCE_WINDOWS),
        Variable.MAINTENANCE_WINDOWS.env, r.problems);
    if (!r.problems.isEmpty()) {
      throw new InvalidConfigException(r.problems);
    }
    return new RuntimeConfig(namespaces, leaderElection, leaseName,
        leaseNamespace.isEmpty() ? Optional.empty() : Optional.of(leaseNamespace),
        threads, health, level, format, port, timing, operator, policy, cacheSync, shard, windows);
  }

  /**
   * The operator runs outside a cluster (from a laptop, with a kubeconfig: no {@value #IN_CLUSTER_ENV})
   * and nobody set {@link Variable#PROBE_INTERVAL}: the active probes are off, because they call the
   * stack's Services by their cluster DNS names ({@code <service>.<namespace>.svc}), which do not
   * resolve there; every component would be reported HealthCheckFailed. Health is then judged from
   * the pods' readiness (and the Ready condition says so). Setting the interval probes anyway (e.g.
   * with the cluster's DNS reachable through a VPN).
   */
  public static boolean probesOffOutOfCluster(Map<String, String> env) {
    String host = env.get(IN_CLUSTER_ENV);
    return (host == null || host.isBlank()) && env.get(Variable.PROBE_INTERVAL.env) == null;
  }

  public static RuntimeConfig defaults() {
    return fromEnv(Map.of());
  }

  /** True when the active probes are on (a non-zero interval). */
  public boolean probesEnabled() {
    return health.enabled();
  }

  public Duration probeInterval() {
    return health.interval();
  }

  public RuntimeConfig withHealth(HealthConfig h) {
    return new RuntimeConfig(watchNamespaces, leaderElection, leaseName, leaseNamespace, reconcileThreads,
        h, logLevel, logFormat, httpPort, leaseTiming, operator, policy, cacheSyncTimeout, shard, maintenanceWindows);
  }

  public RuntimeConfig withWatchNamespaces(Set<String> namespaces) {
    return new RuntimeConfig(namespaces, leaderElection, leaseName, leaseNamespace, reconcileThreads,
        health, logLevel, logFormat, httpPort, leaseTiming, operator, policy, cacheSyncTimeout, shard, maintenanceWindows);
  }

  public RuntimeConfig withHttpPort(int port) {
    return new RuntimeConfig(watchNamespaces, leaderElection, leaseName, leaseNamespace, reconcileThreads,
        health, logLevel, logFormat, port, leaseTiming, operator, policy, cacheSyncTimeout, shard, maintenanceWindows);
  }

  public RuntimeConfig withCacheSyncTimeout(Duration timeout) {
    return new RuntimeConfig(watchNamespaces, leaderElection, leaseName, leaseNamespace, reconcileThreads,
        health, logLevel, logFormat, httpPort, leaseTiming, operator, policy, timeout, shard, maintenanceWindows);
  }

  public RuntimeConfig withLeaderElection(boolean on, String namespace) {
    return new RuntimeConfig(watchNamespaces, on, leaseName, Optional.ofNullable(namespace), reconcileThreads,
        health, logLevel, logFormat, httpPort, leaseTiming, operator, policy, cacheSyncTimeout, shard, maintenanceWindows);
  }

  /** The same settings with the operator's own namespace and pod labels as given. */
  public RuntimeConfig withOperator(OperatorIdentity identity) {
    return new RuntimeConfig(watchNamespaces, leaderElection, leaseName, leaseNamespace, reconcileThreads,
        health, logLevel, logFormat, httpPort, leaseTiming, identity, policy, cacheSyncTimeout, shard, maintenanceWindows);
  }

  /** The same settings serving another share of the fleet. */
  public RuntimeConfig withShard(ShardConfig s) {
    return new RuntimeConfig(watchNamespaces, leaderElection, leaseName, leaseNamespace, reconcileThreads,
        health, logLevel, logFormat, httpPort, leaseTiming, operator, policy, cacheSyncTimeout, s, maintenanceWindows);
  }

  /** The same settings with another policy for the stacks. */
  public RuntimeConfig withPolicy(OperatorPolicy p) {
    return new RuntimeConfig(watchNamespaces, leaderElection, leaseName, leaseNamespace, reconcileThreads,
        health, logLevel, logFormat, httpPort, leaseTiming, operator, p, cacheSyncTimeout, shard, maintenanceWindows);
  }
}
