package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.desired.LiveChildren;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.MaintenancePageDecision;
import io.pistack.operator.model.ResolvedStack;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One read of the informer caches at the start of a reconcile: what the plan is decided from (the stack's
 * Deployments, Jobs, database StatefulSet and pods) and what the desired objects keep of the live children
 * ({@link LiveChildren}). Reads the caches only: no request.
 */
public record Observed(List<Deployment> deployments, List<Job> jobs, Optional<StatefulSet> database, List<Pod> pods,
    LiveChildren live, MaintenancePageDecision.Seen page) {

  public static Observed read(ResolvedStack stack, Context<PiStack> context) {
    PiStack primary = stack.source();
    List<Deployment> deployments = List.copyOf(context.getSecondaryResources(Deployment.class));
    Map<String, Deployment> byName = new HashMap<>();
    deployments.forEach(d -> byName.put(d.getMetadata().getName(), d));
    Map<String, PersistentVolumeClaim> claims = new HashMap<>();
    Stream.concat(Stream.of(stack.sharedClaimName(), stack.backup().claimName()),
            stack.enabledComponents().stream().filter(c -> c.volume() != null)
                .map(stack::volumeClaimName))
        .forEach(name -> cached(context, PersistentVolumeClaim.class, SharedVolumeClaimDependent.EVENT_SOURCE,
            stack, name).ifPresent(c -> claims.put(name, c)));
    LiveChildren live = new LiveChildren(byName,
        cached(context, StatefulSet.class, null, stack, stack.databaseName()), claims);
    // The maintenance page: the dashboard's Service as it is live.
    MaintenancePageDecision.Seen page = MaintenancePageDecision.Seen.of(stack, byName,
        cached(context, Service.class, null, stack, stack.name(Component.main())));
    return new Observed(deployments, List.copyOf(StackJobs.of(primary, context)),
        context.getSecondaryResource(StatefulSet.class), List.copyOf(context.getSecondaryResources(Pod.class)), live,
        page);
  }

  /** An object of the stack's namespace by name, from the dependent's informer (empty where there is none). */
  @SuppressWarnings("unchecked")
  static <R extends HasMetadata> Optional<R> cached(Context<PiStack> context, Class<R> kind, String source,
      ResolvedStack stack, String name) {
    InformerEventSource<R, PiStack> informer;
    try {
      informer = (InformerEventSource<R, PiStack>) (source == null
          ? context.eventSourceRetriever().getEventSourceFor(kind)
          : context.eventSourceRetriever().getEventSourceFor(kind, source));
    } catch (RuntimeException noSuchSource) {
      return Optional.empty();
    }
    return informer.get(new ResourceID(name, stack.namespace()));
  }
}
