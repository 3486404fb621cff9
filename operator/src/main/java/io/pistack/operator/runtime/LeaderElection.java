package io.pistack.operator.runtime;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.metrics.OperatorMetrics;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election through a coordination.k8s.io Lease, on top of JOSDK's.
 *
 * <p>What JOSDK 5.2.3 does and does not do, and what this class adds:
 * <ul>
 *   <li>JOSDK runs fabric8's LeaderElector with {@code releaseOnCancel=false}: {@code Operator.stop()}
 *       cancels the elector but leaves the Lease held, so a standby waits a whole lease duration.
 *       {@link #release} clears {@code holderIdentity} after the operator stopped (what client-go
 *       does on release), so a standby takes over within its retry period.</li>
 *   <li>JOSDK's {@code exitOnStopLeading} would call {@code System.exit} from inside
 *       {@code Operator.stop()}, i.e. from the SIGTERM shutdown hook, where exit blocks forever.
 *       It is turned off; instead, losing the lease while <em>not</em> shutting down calls
 *       {@code onLostLeadership} (production: exit 1, so Kubernetes restarts the pod and no two
 *       replicas reconcile at once).</li>
 * </ul>
 * Lease permissions (in the Lease's namespace only): get, create and update are what JOSDK's
 * pre-flight SelfSubjectRulesReview demands; fabric8's LeaseLock writes with a JSON merge PATCH;
 * {@link #release} uses get and patch.
 */
@ApiAccess(group = "coordination.k8s.io", resource = "leases", verbs = {"get", "create", "update", "patch"},
    scope = ApiAccess.Scope.LEASE_NAMESPACE,
    why = "leader election: JOSDK checks get/create/update, fabric8's LeaseLock patches, release() gets and patches")
public final class LeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  /** Lease timings; JOSDK's defaults unless a test shortens them. */
  public record Timing(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
    public static final Timing DEFAULT = new Timing(LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE);
  }

  private final String leaseName;
  private final String leaseNamespace;
  private final String identity;
  private final OperatorMetrics metrics;
  private final Runnable onLostLeadership;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean shuttingDown = new AtomicBoolean();
  private final java.util.List<Runnable> onStartedLeading = new java.util.concurrent.CopyOnWriteArrayList<>();

  public LeaderElection(String leaseName, String leaseNamespace, String identity, OperatorMetrics metrics,
      Runnable onLostLeadership) {
    this.leaseName = leaseName;
    this.leaseNamespace = Objects.requireNonNull(leaseNamespace, "lease namespace");
    this.identity = identity;
    this.metrics = metrics;
    this.onLostLeadership = onLostLeadership;
  }

  /**
   * The election the configuration asks for, if any: in the configured Lease namespace, else the
   * client's (the pod's own) namespace; none known is a configuration error.
   */
  static java.util.Optional<LeaderElection> of(RuntimeConfig config, KubernetesClient client, String identity,
      OperatorMetrics metrics, Runnable onLostLeadership) {
    if (!config.leaderElection()) {
      return java.util.Optional.empty();
    }
    String ns = config.leaseNamespace().orElseGet(() -> client.getConfiguration().getNamespace());
    if (ns == null || ns.isBlank()) {
      throw new RuntimeConfig.InvalidConfigException(java.util.List.of(
          RuntimeConfig.Variable.LEADER_ELECTION.env + "=true but the Lease namespace is unknown: set "
              + RuntimeConfig.Variable.LEASE_NAMESPACE.env));
    }
    return java.util.Optional.of(new LeaderElection(config.leaseName(), ns, identity, metrics, onLostLeadership));
  }

  /** The pod name (HOSTNAME) when set, else a random id. */
  public static String defaultIdentity() {
    String host = System.getenv("HOSTNAME");
    return host == null || host.isBlank() ? UUID.randomUUID().toString() : host;
  }

  public String identity() {
    return identity;
  }

  public String leaseNamespace() {
    return leaseNamespace;
  }

  public boolean leading() {
    return leading.get();
  }

  public LeaderElectionConfiguration configuration(Timing timing) {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(leaseName)
        .withLeaseNamespace(leaseNamespace)
        .withIdentity(identity)
        .withLeaseDuration(timing.leaseDuration())
        .withRenewDeadline(timing.renewDeadline())
        .withRetryPeriod(timing.retryPeriod())
        .withExitOnStopLeading(false)
        .withLeaderCallbacks(new LeaderCallbacks(this::started, this::stopped,
            leader -> LOG.info("leader is now {}", leader)))
        .build();
  }

  /**
   * Runs {@code r} each time this replica gains the Lease, before the operator starts reconciling
   * (JOSDK calls the configured callbacks before it starts processing events).
   */
  public void onStartedLeading(Runnable r) {
    onStartedLeading.add(r);
  }

  private void started() {
    for (Runnable r : onStartedLeading) {
      try {
        r.run();
      } catch (RuntimeException e) {
        LOG.warn("a start-of-leadership callback failed: {}", e.toString());
      }
    }
    leading.set(true);
    metrics.leader(true);
    LOG.info("{} leads (Lease {}/{}); reconciling", identity, leaseNamespace, leaseName);
  }

  private void stopped() {
    boolean was = leading.getAndSet(false);
    metrics.leader(false);
    if (shuttingDown.get()) {
      return;
    }
    if (was) {
      LOG.error("{} lost the Lease {}/{}; exiting so that no two replicas reconcile at once",
          identity, leaseNamespace, leaseName);
      onLostLeadership.run();
    }
  }

  /** Called before the operator stops: losing leadership from here on is expected. */
  public void shuttingDown() {
    shuttingDown.set(true);
  }

  /**
   * Gives the Lease up if this replica still holds it: holderIdentity "", a one-second duration.
   * Call after the operator stopped reconciling. Returns whether it released the Lease.
   */
  public boolean release(KubernetesClient client) {
    try {
      Lease lease = client.resources(Lease.class).inNamespace(leaseNamespace).withName(leaseName).get();
      if (lease == null || lease.getSpec() == null || !identity.equals(lease.getSpec().getHolderIdentity())) {
        return false;
      }
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      Lease released = new LeaseBuilder()
          .withNewMetadata().withName(leaseName).withNamespace(leaseNamespace)
          .withResourceVersion(lease.getMetadata().getResourceVersion()).endMetadata()
          .withNewSpec().withHolderIdentity("").withLeaseDurationSeconds(1)
          .withAcquireTime(now).withRenewTime(now).endSpec()
          .build();
      client.resource(released).patch(PatchContext.of(PatchType.JSON_MERGE));
      LOG.info("{} released the Lease {}/{}", identity, leaseNamespace, leaseName);
      return true;
    } catch (KubernetesClientException e) {
      LOG.warn("could not release the Lease {}/{}: HTTP {}", leaseNamespace, leaseName, e.getCode());
      return false;
    }
  }
}
