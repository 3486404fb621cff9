package io.pistack.operator.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.health.HealthConfig;
import io.pistack.operator.health.HealthMonitor;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.metrics.JosdkMetrics;
import io.pistack.operator.metrics.OperatorMetrics;
import io.pistack.operator.reconciler.PiStackReconciler;
import io.pistack.operator.status.StackEvents;
import io.pistack.operator.runtime.HttpEndpoints.Check;
import java.time.Clock;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires and runs the operator: the client, the reconciler, JOSDK (metrics, leader election),
 * and the HTTP endpoints. It owns the client it is given and closes it on {@link #stop()}.
 *
 * <p>Endpoint semantics (docs/install.md):
 * <ul>
 *   <li>/healthz (liveness): 200 while starting and while every informer runs; 503 once an
 *       informer has stopped, or after a failed start. An informer whose watch is down (the API
 *       server unreachable) still runs and reconnects by itself: restarting the pod would not
 *       help, so that is only not-ready;</li>
 *   <li>/readyz (readiness): 200 once started, i.e. every informer has synced its cache, and all
 *       are healthy. With leader election a standby replica is ready too: its caches are warm, it
 *       serves /metrics and takes over within the retry period; whether it leads is the
 *       {@code pi_operator_leader} gauge, not readiness.</li>
 * </ul>
 */
@ApiAccess.PassesClient("gives the client to JOSDK, StackEvents and LeaderElection")
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRuntime.class);
  /**
   * How long a stop waits for running reconciles, with the informers still running, before
   * interrupting them ({@link ReconcileGate#drain}; JOSDK's default is zero: interrupt at once). A
   * reconcile is a handful of idempotent API calls, so an interrupted one is simply redone by the
   * next leader or start; what must not happen is a pod that outlives its SIGTERM
   * (docs/install.md#stopping).
   */
  public static final java.time.Duration RECONCILE_TERMINATION_TIMEOUT = java.time.Duration.ofSeconds(2);
  /**
   * The most a SIGTERM waits for {@link #stop()} before the process exits anyway (RunCommand):
   * reconciles get {@link #RECONCILE_TERMINATION_TIMEOUT}, the Lease release the rest. Well
   * inside the 5 s the operator promises and the chart's terminationGracePeriodSeconds.
   */
  public static final java.time.Duration STOP_BUDGET = java.time.Duration.ofMillis(4000);

  enum State { NEW, STARTING, STARTED, STOPPING, STOPPED, FAILED }

  private final KubernetesClient client;
  private final RuntimeConfig config;
  private final OperatorMetrics metrics;
  private final Optional<LeaderElection> election;
  private final HealthMonitor health;
  private final Operator operator;
  private final RegisteredController<PiStack> controller;
  private final ReconcileGate gate;
  private final EndpointChecks checks;
  private final Shard shard;
  private volatile State state = State.NEW;
  private volatile HttpEndpoints http;

  private OperatorRuntime(Builder b) {
    this.client = b.client;
    this.config = b.config;
    this.metrics = b.metrics;
    election = LeaderElection.of(config, client, b.identity, metrics, b.onLostLeadership);
    health = healthMonitor(metrics, config.health());
    // A standby probes nothing; gaining the Lease reseeds the probe records from the status before
    // the first reconcile (LeaderElection calls back before JOSDK starts processing events).
    election.ifPresent(e -> {
      health.leading(false);
      e.onStartedLeading(() -> health.leading(true));
    });
    gate = new ReconcileGate(config.reconcileThreads());
    operator = new Operator(o -> {
      // A slow or failed first LIST is retried (fabric8's backoff) until the sync timeout, instead of
      // failing the start; reconciles wait in the gate until every informer has synced (start()).
      o.withKubernetesClient(NamespaceScopedStores.forWatched(client, config.watchNamespaces()))
          .withConcurrentReconciliationThreads(config.reconcileThreads())
          .withExecutorService(gate)
          .withStopOnInformerErrorDuringStartup(false)
          .withCacheSyncTimeout(config.cacheSyncTimeout())
          .withCloseClientOnStop(false)
          .withReconciliationTerminationTimeout(RECONCILE_TERMINATION_TIMEOUT)
          .withMetrics(new JosdkMetrics(metrics));
      election.ifPresent(e -> o.withLeaderElectionConfiguration(
          e.configuration(b.timing == null ? config.leaseTiming() : b.timing)));
    });
    shard = new Shard(config, client, metrics); // the share of the fleet: selectors, namespaces (docs/sizing.md)
    try {
      controller = operator.register(reconciler(client, metrics, health, config), shard::stacks);
      operator.register(new io.pistack.operator.pibackup.PiBackupReconciler(client, Clock.systemUTC()), shard::backups);
    } finally {
      shard.registered();
    }
    checks = new EndpointChecks(operator, election);
  }

  /** The reconciler as production wires it, with the active health probes (their own executor; see HealthMonitor). */
  private static PiStackReconciler reconciler(KubernetesClient client, OperatorMetrics metrics, HealthMonitor health,
      RuntimeConfig config) {
    Clock clock = Clock.systemUTC();
    return new PiStackReconciler(new StackEvents(client, clock), clock, health, metrics, config.operator(),
        config.policy()).maintenanceWindows(config.maintenanceWindows());
  }

  private static HealthMonitor healthMonitor(OperatorMetrics metrics, HealthConfig health) {
    HealthConfig withMetrics = health.withListener(
        (stack, target, result) -> metrics.probeLatency(target.key(), java.time.Duration.ofMillis(result.latencyMillis())));
    return new HealthMonitor(withMetrics, Clock.systemUTC());
  }

  public static Builder builder(KubernetesClient client, RuntimeConfig config) {
    return new Builder(client, config);
  }

  /**
   * Starts the endpoints, then the operator, which lists every watched kind (a slow or failed LIST
   * is retried) and returns once every informer has synced or the sync timeout has passed; only
   * then, and only when all have synced, do reconciles run (not ready until then). An informer
   * still not synced fails the start, naming it. Holds no lock while the operator starts: a
   * SIGTERM meanwhile must be able to {@link #stop()} at once.
   */
  public OperatorRuntime start() {
    synchronized (this) {
      if (state != State.NEW) {
        throw new IllegalStateException("already " + state);
      }
      state = State.STARTING;
      http = new HttpEndpoints(config.httpPort(), this::liveness, this::readiness, metrics::scrape).start();
    }
    if (election.isEmpty()) {
      metrics.leader(true);
    }
    try {
      ServedKinds.require(client);
      operator.start();
    } catch (RuntimeException e) {
      synchronized (this) {
        if (state == State.STARTING) {
          state = State.FAILED;
        }
      }
      throw e;
    }
    Optional<String> unsynced = checks.unsyncedInformers();
    synchronized (this) {
      if (state != State.STARTING) {
        throw new IllegalStateException("stopped while starting");
      }
      if (unsynced.isPresent()) {
        state = State.FAILED;
        throw new IllegalStateException(unsynced.get() + " (not synced within "
            + RuntimeConfig.Variable.CACHE_SYNC_TIMEOUT.env + "=" + config.cacheSyncTimeout() + ")");
      }
      gate.open();
      state = State.STARTED;
    }
    LOG.info("pi-operator started: watching {}, leader election {}",
        config.watchNamespaces().isEmpty() ? "all namespaces" : new TreeSet<>(config.watchNamespaces()),
        election.map(e -> "on (Lease " + e.leaseNamespace() + "/" + config.leaseName() + ", identity "
            + e.identity() + ")").orElse("off"));
    shard.started();
    return this;
  }

  /**
   * Graceful stop: stop reconciling (JOSDK waits for running reconciles), then release the Lease
   * if this replica holds it, then close the endpoints and the client. Safe to call twice, and
   * while {@link #start()} is still waiting for the API server. It can still take long (an
   * unreachable API server, JOSDK's start holding its controllers): whoever must exit on time
   * bounds it, as RunCommand does with {@link #STOP_BUDGET}.
   */
  public void stop() {
    boolean wasRunning;
    synchronized (this) {
      if (state == State.STOPPED || state == State.STOPPING) {
        return;
      }
      wasRunning = state == State.STARTED || state == State.FAILED || state == State.STARTING;
      state = State.STOPPING;
    }
    long begin = System.nanoTime();
    election.ifPresent(LeaderElection::shuttingDown);
    // Running reconciles end while the informers still feed their caches; none starts after this.
    gate.drain(RECONCILE_TERMINATION_TIMEOUT);
    try {
      operator.stop();
    } catch (RuntimeException e) {
      LOG.warn("stopping the operator: {}", e.toString());
    }
    if (wasRunning) {
      election.ifPresent(e -> e.release(client));
    }
    if (http != null) {
      http.close();
    }
    shard.close();
    client.close();
    state = State.STOPPED;
    if (wasRunning) {
      LOG.info("pi-operator stopped in {} ms", (System.nanoTime() - begin) / 1_000_000);
    }
  }

  @Override
  public void close() {
    stop();
  }

  Check liveness() {
    return checks.liveness(state);
  }

  Check readiness() {
    return checks.readiness(state);
  }

  public Operator operator() {
    return operator;
  }

  /** The registered PiStack controller (its configuration drives the RBAC derivation). */
  public RegisteredController<PiStack> controller() {
    return controller;
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  public RuntimeConfig config() {
    return config;
  }

  public Optional<LeaderElection> leaderElection() {
    return election;
  }

  /** The active health probes' event source (a standby's probes nothing; see HealthMonitor#leading). */
  public HealthMonitor healthMonitor() {
    return health;
  }

  /** The port the endpoints listen on (after {@link #start()}). */
  public int httpPort() {
    return http == null ? -1 : http.port();
  }

  public static final class Builder {
    private final KubernetesClient client;
    private final RuntimeConfig config;
    private OperatorMetrics metrics;
    private String identity = LeaderElection.defaultIdentity();
    /** Null: the configuration's (PI_OPERATOR_LEASE_*). */
    private LeaderElection.Timing timing;
    private Runnable onLostLeadership = () -> new Thread(() -> System.exit(1), "lost-leadership").start();

    private Builder(KubernetesClient client, RuntimeConfig config) {
      this.client = client;
      this.config = config;
    }

    public Builder metrics(OperatorMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    public Builder identity(String identity) {
      this.identity = identity;
      return this;
    }

    public Builder timing(LeaderElection.Timing timing) {
      this.timing = timing;
      return this;
    }

    public Builder onLostLeadership(Runnable onLostLeadership) {
      this.onLostLeadership = onLostLeadership;
      return this;
    }

    public OperatorRuntime build() {
      if (metrics == null) {
        metrics = new OperatorMetrics();
      }
      return new OperatorRuntime(this);
    }
  }
}
