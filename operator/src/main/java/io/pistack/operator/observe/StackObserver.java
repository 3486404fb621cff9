package io.pistack.operator.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.StackJobs;
import io.pistack.operator.health.HealthMonitor;
import io.pistack.operator.health.StackHealth;
import io.pistack.operator.health.UnplacedPods;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.status.BackupRestoreStatus;
import io.pistack.operator.status.Observation;
import io.pistack.operator.status.ReferencedSecrets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The observe stage of the reconcile (docs/architecture.md): what the caches say about a stack's
 * children after the apply, as one {@link Observation} for the status. Reads the Deployments (by
 * component), the database StatefulSet, the stack's pods (a pod the scheduler could not place counts
 * once that has lasted a while: UnplacedPods) and the active health probes' results; tells the
 * HealthMonitor which components serve (have a ready pod), so it probes only those. Last, what the
 * backup and restore Jobs say, seen after applying on purpose: a Job that finished meanwhile is
 * recorded together with its outcome (the set computed before the workflow only decides which Jobs
 * are kept). Pods are read only for Jobs the status lacks (JobTerminationMessages).
 */
@ApiAccess.PassesClient("hands context.getClient() to JobTerminationMessages")
public final class StackObserver {
  private final HealthMonitor health;
  private final Clock clock;

  public StackObserver(HealthMonitor health, Clock clock) {
    this.health = health;
    this.clock = clock;
  }

  /**
   * @param observation what the status is decided from
   * @param lifecycle what the backup and restore Jobs say
   * @param unplaced when the wait of a pod not yet placed ends (UnplacedPods#recheck)
   */
  public record Snapshot(Observation observation, BackupRestoreStatus.Seen lifecycle, Optional<Duration> unplaced) {}

  /**
   * @param plan the lifecycle gates this reconcile decided
   * @param secrets the check of the Secrets the spec names
   * @param applyError the apply's failure, when it is to be reported
   */
  public Snapshot observe(ResolvedStack resolved, LifecyclePlan plan, Context<PiStack> context,
      ReferencedSecrets.Check secrets, Optional<String> applyError) {
    PiStack stack = resolved.source();
    Map<Component, Deployment> deployments = deployments(context);
    health.serving(ResourceID.fromResource(stack), serving(deployments));
    List<Pod> pods = List.copyOf(context.getSecondaryResources(Pod.class));
    Optional<Duration> unplaced = UnplacedPods.recheck(pods, clock.instant());
    Observation seen = new Observation(deployments, context.getSecondaryResource(StatefulSet.class),
        UnplacedPods.settled(pods, clock.instant()),
        context.getSecondaryResource(StackHealth.class, HealthMonitor.NAME).orElse(StackHealth.DISABLED),
        List.of(), secrets.other(), secrets.credentials(), applyError).withRoute(RouteSeen.of(resolved, context));
    return new Snapshot(seen, lifecycle(resolved, plan, context), unplaced);
  }

  private static BackupRestoreStatus.Seen lifecycle(ResolvedStack resolved, LifecyclePlan plan,
      Context<PiStack> context) {
    List<Job> jobs = StackJobs.of(resolved.source(), context);
    List<Job> needed = BackupRestoreStatus.needingDetail(resolved, plan, jobs);
    Map<String, String> messages = needed.isEmpty() ? Map.of() : JobTerminationMessages.read(context.getClient(), needed);
    return BackupRestoreStatus.observe(resolved, plan, jobs, messages);
  }

  static Map<Component, Deployment> deployments(Context<PiStack> context) {
    Map<Component, Deployment> byComponent = new EnumMap<>(Component.class);
    context.getSecondaryResources(Deployment.class).forEach(d -> {
      String part = d.getMetadata().getLabels().get(Labels.COMPONENT);
      // Not a component's: the maintenance page's Deployment.
      if (part != null && java.util.Arrays.stream(Component.values()).anyMatch(c -> c.part().equals(part))) {
        byComponent.put(Component.fromPart(part), d);
      }
    });
    return byComponent;
  }

  /** Components with at least one ready pod: their Services have something to probe. */
  static Set<String> serving(Map<Component, Deployment> deployments) {
    Set<String> keys = new HashSet<>();
    deployments.forEach((c, d) -> {
      if (d.getStatus() != null && d.getStatus().getReadyReplicas() != null && d.getStatus().getReadyReplicas() > 0) {
        keys.add(c.part());
      }
    });
    return keys;
  }
}
