package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.pistack.operator.model.HibernationPlan;
import io.pistack.operator.model.ResolvedStack;

/**
 * The Hibernated condition, and Ready and Progressing while hibernation holds the stack (docs/hibernation.md), for
 * {@link StatusAggregator}. The step is {@link HibernationPlan}'s, decided again from what the caches show after
 * the apply. Hibernated is present while spec.hibernation is set, while anything sleeps, and while a woken stack's
 * apps are not Ready yet. Pure.
 */
final class HibernationConditions {
  private HibernationConditions() {}

  /**
   * @param holdsReady Ready and Progressing may take the hibernation's reason: no fault, not paused
   * @param readyNow Ready was decided True in this pass
   * @param previous the Hibernated condition last written, or null
   */
  static void set(ResolvedStack stack, HibernationPlan plan, boolean holdsReady, boolean readyNow,
      Condition previous, Conditions conditions) {
    boolean stillWaking = previous != null && Reason.WAKING.is(previous.getReason()) && !readyNow;
    if (!plan.active()) {
      if (stillWaking) {
        conditions.set(ConditionType.HIBERNATED, false, Reason.WAKING, "woken: waiting for the stack to be Ready");
      } else if (stack.source().getSpec().hibernation != null) {
        conditions.set(ConditionType.HIBERNATED, false, Reason.AWAKE, "spec.hibernation.enabled is false");
      }
      return;
    }
    Reason reason = plan.step() == HibernationPlan.Step.HIBERNATED ? Reason.HIBERNATED_STACK
        : plan.step().waking() ? Reason.WAKING : Reason.HIBERNATING;
    String m = message(plan);
    conditions.set(ConditionType.HIBERNATED, reason == Reason.HIBERNATED_STACK, reason, m);
    if (holdsReady) {
      conditions.set(ConditionType.READY, false, reason, m)
          .set(ConditionType.PROGRESSING, reason != Reason.HIBERNATED_STACK, reason, m);
      if (reason == Reason.HIBERNATED_STACK) {
        conditions.set(ConditionType.DEGRADED, false, Reason.AS_EXPECTED, "");
      }
    }
  }

  static String message(HibernationPlan plan) {
    String w = plan.waitingFor();
    return switch (plan.step()) {
      case STOPPING_APPS -> "hibernating: stopping the dashboard and scheduler first (waiting for " + w
          + "); then the other components, then the database";
      case STOPPING_COMPONENTS -> "hibernating: the dashboard and scheduler are stopped; stopping the other"
          + " components (waiting for " + w + "); then the database";
      case STOPPING_DATABASE -> "hibernating: the components are stopped; stopping the database (waiting for " + w
          + ")";
      case HIBERNATED -> "hibernated: no pod of the stack runs; its volumes and Secrets are kept and scheduled"
          + " backups are suspended. Set spec.hibernation.enabled to false to wake it";
      case WAKING_DATABASE -> "waking: starting the database first (the other components and the dashboard wait"
          + " until it is ready)";
      case WAKING_COMPONENTS -> "waking: the database is ready; starting the other components (waiting for " + w
          + "); then the dashboard and scheduler";
      case WAKING_APPS -> "waking: starting the dashboard and scheduler";
      case AWAKE -> "spec.hibernation.enabled is false";
    };
  }
}
