package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpecBuilder;
import java.util.List;

/**
 * Keeps voluntary disruptions (node drains) to one pod at a time, for the components with {@link
 * Component#disruptionBudget()}.
 */
public final class PodDisruptionBudgetBuilder {
  private PodDisruptionBudgetBuilder() {}

  /** The components that get one: only meaningful when they can run more than one pod. */
  public static List<Component> wanted(ResolvedStack stack) {
    return stack.enabledComponents().stream()
        .filter(c -> c.disruptionBudget() && stack.sizing(c).maxReplicas() > 1).toList();
  }

  public static PodDisruptionBudget build(ResolvedStack stack, Component c) {
    PodDisruptionBudget pdb = new PodDisruptionBudget();
    pdb.setMetadata(ChildMetadata.of(stack, stack.name(c), c.part()));
    pdb.setSpec(new PodDisruptionBudgetSpecBuilder()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector().withMatchLabels(Labels.selector(stack, c.part())).endSelector()
        .build());
    return pdb;
  }
}
