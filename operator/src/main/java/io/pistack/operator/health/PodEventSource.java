package io.pistack.operator.health;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.SlimCache;
import io.pistack.operator.model.Labels;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The stack's pods, for their waiting reasons and terminations. Label-selected like every informer
 * of the operator (pods inherit {@code app.kubernetes.io/managed-by=pi-operator} from their
 * template): no cluster-wide pod cache. Pods are mapped to their PiStack by the {@code
 * app.kubernetes.io/instance} label; the cache keeps only their labels and container states, and a
 * pod update triggers a reconcile only when one of those changed.
 */
public final class PodEventSource {
  public static final String NAME = "pods";

  private PodEventSource() {}

  public static InformerEventSource<Pod, PiStack> create(EventSourceContext<PiStack> context) {
    var config = InformerEventSourceConfiguration.from(Pod.class, PiStack.class)
        .withName(NAME)
        .withNamespacesInheritedFromController()
        .withLabelSelector(Labels.MANAGED_SELECTOR)
        .withSecondaryToPrimaryMapper(PodEventSource::stackOf)
        .withOnUpdateFilter((now, before) -> !signal(now).equals(signal(before)))
        .withItemStore(new io.pistack.operator.dependent.ShardStore<Pod>(p -> SlimCache.compact(slim(p))))
        .build();
    return new InformerEventSource<>(config, context);
  }

  static Set<ResourceID> stackOf(Pod pod) {
    String stack = pod.getMetadata().getLabels() == null ? null
        : pod.getMetadata().getLabels().get(Labels.INSTANCE);
    return stack == null ? Set.of() : Set.of(new ResourceID(stack, pod.getMetadata().getNamespace()));
  }

  /** What the status reads from a pod; anything else changing is no reason to reconcile. */
  static List<Object> signal(Pod p) {
    Stream<ContainerStatus> containers = p.getStatus() == null ? Stream.empty() : Stream.concat(
        p.getStatus().getInitContainerStatuses() == null ? Stream.empty() : p.getStatus().getInitContainerStatuses().stream(),
        p.getStatus().getContainerStatuses() == null ? Stream.empty() : p.getStatus().getContainerStatuses().stream());
    return List.of(Objects.toString(p.getMetadata().getLabels()), p.getMetadata().getDeletionTimestamp() != null,
        WorkloadIssues.unschedulable(p).orElse(""),
        containers.map(cs -> List.of(Objects.toString(cs.getName()), Boolean.TRUE.equals(cs.getReady()),
            Objects.toString(cs.getImage()),
            cs.getState() == null || cs.getState().getWaiting() == null ? ""
                : Objects.toString(cs.getState().getWaiting().getReason()) + "|" + Objects.toString(cs.getState().getWaiting().getMessage()),
            cs.getLastState() == null || cs.getLastState().getTerminated() == null ? ""
                : Objects.toString(cs.getLastState().getTerminated().getReason()) + "|" + cs.getLastState().getTerminated().getExitCode()))
            .toList());
  }

  /** A pod reduced to what the status reads: labels, deletion, container states, the reasons of False conditions. */
  static Pod slim(Pod p) {
    Pod slim = new Pod();
    slim.setApiVersion(p.getApiVersion());
    slim.setKind(p.getKind());
    slim.setMetadata(new ObjectMetaBuilder().withName(p.getMetadata().getName())
        .withNamespace(p.getMetadata().getNamespace()).withUid(p.getMetadata().getUid())
        .withResourceVersion(p.getMetadata().getResourceVersion())
        .withLabels(p.getMetadata().getLabels())
        .withDeletionTimestamp(p.getMetadata().getDeletionTimestamp()).build());
    if (p.getStatus() != null) {
      slim.setStatus(new PodStatusBuilder().withPhase(p.getStatus().getPhase())
          .withContainerStatuses(p.getStatus().getContainerStatuses())
          .withInitContainerStatuses(p.getStatus().getInitContainerStatuses())
          // Why a pod is not ready (e.g. PodScheduled=False Unschedulable), for a stuck upgrade's
          // message: False conditions only, without their (long) messages, except the scheduler's,
          // which says what the cluster is short of (the Unschedulable issue).
          .withConditions(p.getStatus().getConditions() == null ? null : p.getStatus().getConditions().stream()
              .filter(c -> "False".equals(c.getStatus()))
              .map(c -> new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType(c.getType())
                  .withStatus(c.getStatus()).withReason(c.getReason())
                  .withMessage(WorkloadIssues.POD_SCHEDULED.equals(c.getType()) ? c.getMessage() : null)
                  .withLastTransitionTime(WorkloadIssues.POD_SCHEDULED.equals(c.getType())
                      ? c.getLastTransitionTime() : null).build())
              .toList())
          .build());
    }
    return slim;
  }
}
