package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;

/**
 * Where a component's pods go relative to each other. The vendor advises running the dashboard
 * across more than one availability zone: the components that scale out (those that may
 * autoscale) are spread softly across zones, then across nodes, by default. Soft
 * (ScheduleAnyway): a single-zone or single-node cluster still runs every pod. A component's own
 * {@code topologySpreadConstraints} replace the default (an empty list turns it off).
 */
public final class TopologySpreadBuilder {
  public static final String ZONE = "topology.kubernetes.io/zone";
  public static final String HOSTNAME = "kubernetes.io/hostname";

  private TopologySpreadBuilder() {}

  public static List<TopologySpreadConstraint> forComponent(ResolvedStack stack, Component c) {
    List<TopologySpreadConstraint> given = stack.component(c).topologySpreadConstraints;
    if (given != null) {
      return given;
    }
    if (!c.canAutoscale()) {
      return List.of();
    }
    return List.of(soft(stack, c, ZONE), soft(stack, c, HOSTNAME));
  }

  private static TopologySpreadConstraint soft(ResolvedStack stack, Component c, String key) {
    return new TopologySpreadConstraintBuilder()
        .withMaxSkew(1)
        .withTopologyKey(key)
        .withWhenUnsatisfiable("ScheduleAnyway")
        .withNewLabelSelector().withMatchLabels(Labels.selector(stack, c.part())).endLabelSelector()
        .build();
  }
}
