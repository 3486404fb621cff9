package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpecBuilder;
import io.pistack.operator.model.ComponentSizing.Autoscaling;

/** A CPU-utilisation HPA (autoscaling/v2) for a component that has autoscaling on. */
public final class HorizontalPodAutoscalerBuilder {
  private HorizontalPodAutoscalerBuilder() {}

  public static HorizontalPodAutoscaler build(ResolvedStack stack, Component c) {
    Autoscaling a = stack.sizing(c).autoscaling().orElseThrow(
        () -> new IllegalArgumentException(c.part() + " has no autoscaling"));
    var spec = new HorizontalPodAutoscalerSpecBuilder()
        .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(stack.name(c))
        .endScaleTargetRef()
        .withMinReplicas(a.min())
        .withMaxReplicas(a.max())
        .addNewMetric().withType("Resource").withNewResource().withName("cpu")
        .withNewTarget().withType("Utilization").withAverageUtilization(a.targetCpuPercent()).endTarget()
        .endResource().endMetric();
    HorizontalPodAutoscaler hpa = new HorizontalPodAutoscaler();
    hpa.setMetadata(ChildMetadata.of(stack, stack.name(c), c.part()));
    hpa.setSpec(spec.build());
    return hpa;
  }
}
