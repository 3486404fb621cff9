package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import java.util.Optional;

/**
 * How big one component of a stack runs (built by {@link ResolvedStack#sizing}): its replicas or
 * its autoscaler's bounds, its resources, and the dashboard's Tomcat heap; the table's defaults
 * unless the user gives them.
 */
public final class ComponentSizing {
  public static final long TOMCAT_MEMORY_ALLOWANCE_MIB = 1024;

  private final Component c;
  private final ComponentSpec spec;
  private final boolean enabled;
  private final Integer tomcatGiven;

  ComponentSizing(Component c, ComponentSpec spec, boolean enabled, Integer tomcatGiven) {
    this.c = c;
    this.spec = spec;
    this.enabled = enabled;
    this.tomcatGiven = tomcatGiven;
  }

  /** Autoscaling settings when the component is enabled, may autoscale and has it turned on. */
  public Optional<Autoscaling> autoscaling() {
    if (!c.canAutoscale() || !enabled || !(spec instanceof ScalableComponentSpec s)
        || s.autoscaling == null || !Boolean.TRUE.equals(s.autoscaling.enabled)) {
      return Optional.empty();
    }
    AutoscalingSpec a = s.autoscaling;
    return Optional.of(new Autoscaling(
        a.minReplicas == null ? AutoscalingSpec.DEFAULT_MIN : a.minReplicas,
        a.maxReplicas == null ? AutoscalingSpec.DEFAULT_MAX : a.maxReplicas,
        a.targetCPUUtilizationPercentage == null ? AutoscalingSpec.DEFAULT_TARGET_CPU
            : a.targetCPUUtilizationPercentage));
  }

  /** Replicas for the Deployment, or empty when an HPA owns the count. A singleton is 0 or 1. */
  public Optional<Integer> replicas() {
    if (autoscaling().isPresent()) {
      return Optional.empty();
    }
    Integer r = spec.replicas;
    int replicas = r == null ? c.defaultReplicas() : r;
    return Optional.of(c.singleton() ? Math.min(replicas, 1) : replicas);
  }

  /** The most pods the component may run: replicas, or the autoscaler's maximum. */
  public int maxReplicas() {
    return autoscaling().map(Autoscaling::max).orElseGet(() -> replicas().orElse(0));
  }

  public ResourceRequirements resources() {
    ResourceRequirements r = spec.resources;
    if (r != null) {
      return r;
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(c.defaultCpu()))
        .addToRequests("memory", new Quantity(c.defaultMemory()))
        .addToLimits("memory", new Quantity(c.defaultMemory()))
        .build();
  }

  /** PI_TOMCAT_MAX_MEMORY in MiB: given, or the component's memory limit minus a 1 GiB allowance. */
  public long tomcatMaxMemoryMb() {
    Integer given = tomcatGiven;
    if (given != null) {
      return given;
    }
    ResourceRequirements r = resources();
    Quantity mem = r.getLimits() != null && r.getLimits().get("memory") != null
        ? r.getLimits().get("memory")
        : r.getRequests() == null ? null : r.getRequests().get("memory");
    long mib = mem == null ? 4096 : Quantity.getAmountInBytes(mem).longValue() / (1024 * 1024);
    return Math.max(512, mib - TOMCAT_MEMORY_ALLOWANCE_MIB);
  }

  /** Resolved autoscaling bounds. */
  public record Autoscaling(int min, int max, int targetCpuPercent) {}
}
