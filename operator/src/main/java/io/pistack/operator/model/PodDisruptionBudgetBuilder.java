package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpecBuilder;

/** Keeps voluntary disruptions (node drains) to one dashboard pod at a time. */
public final class PodDisruptionBudgetBuilder {
  private PodDisruptionBudgetBuilder() {}

  /** Only meaningful when the dashboard can run more than one pod. */
  public static boolean wanted(ResolvedStack stack) {
    return stack.enabled(Component.DASHBOARD) && stack.maxReplicas(Component.DASHBOARD) > 1;
  }

  public static PodDisruptionBudget dashboard(ResolvedStack stack) {
    PodDisruptionBudget pdb = new PodDisruptionBudget();
    pdb.setMetadata(ChildMetadata.of(stack, stack.name(Component.DASHBOARD), "dashboard"));
    pdb.setSpec(new PodDisruptionBudgetSpecBuilder()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector().withMatchLabels(Labels.selector(stack, "dashboard")).endSelector()
        .build());
    return pdb;
  }
}
