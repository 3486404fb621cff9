package io.pistack.operator.observe;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.health.HealthMonitor;
import io.pistack.operator.health.StackHealth;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.status.Snapshot;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The observe stage of the reconcile (docs/architecture.md): what the caches hold about a stack's children after the
 * apply, read once into one {@link Snapshot} for the status stage, nothing judged: the Deployments (by component),
 * the database StatefulSet, the stack's pods, the active health probes' results, the stack's HTTPRoute (from the
 * route dependent's informer, while spec.httpRoute is on), and the backup and restore Jobs, seen after applying on
 * purpose: a Job that finished meanwhile is recorded together with its outcome (the set computed before the workflow
 * only decides which Jobs are kept); the Jobs and the termination messages of those the status lacks are one read
 * ({@link ObservedJobs}). It tells the HealthMonitor which components serve (have a ready pod), so it
 * probes only those.
 */
public final class StackObserver {
  private final HealthMonitor health;

  public StackObserver(HealthMonitor health) {
    this.health = health;
  }

  /** @param plan the lifecycle gates this reconcile decided (which Jobs' outcome the status still lacks) */
  public Snapshot observe(ResolvedStack resolved, LifecyclePlan plan, Context<PiStack> context) {
    PiStack stack = resolved.source();
    Map<Component, Deployment> deployments = deployments(context);
    health.serving(ResourceID.fromResource(stack), serving(deployments));
    List<Pod> pods = List.copyOf(context.getSecondaryResources(Pod.class));
    ObservedJobs jobs = ObservedJobs.read(resolved, plan, context);
    return new Snapshot(deployments, context.getSecondaryResource(StatefulSet.class), pods,
        context.getSecondaryResource(StackHealth.class, HealthMonitor.NAME).orElse(StackHealth.DISABLED),
        route(resolved, context), jobs.jobs(), jobs.messages());
  }

  /** The stack's HTTPRoute from the route dependent's informer, while spec.httpRoute is on (RouteVerdict reads it). */
  static Optional<HTTPRoute> route(ResolvedStack stack, Context<PiStack> context) {
    if (!stack.httpRouteEnabled()) {
      return Optional.empty();
    }
    try {
      return context.getSecondaryResource(HTTPRoute.class)
          .filter(r -> stack.name().equals(r.getMetadata().getName()));
    } catch (IllegalArgumentException | IllegalStateException e) {
      return Optional.empty(); // the informer is not registered (the route dependent is not active)
    }
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
