package io.pistack.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.OperatorIdentity;
import io.pistack.operator.model.ResolvedStack;

/**
 * The reconcile's {@link ResolvedStack}: resolved once per reconcile (by the reconciler, first)
 * and kept in the reconcile's context, so the reconciler, every dependent and the status read the
 * same view of the spec.
 */
public final class Resolved {
  static final String KEY = "pi-operator.resolved-stack";
  static final String OPERATOR_KEY = "pi-operator.operator-identity";

  private Resolved() {}

  /** Where the operator runs, for this reconcile's view (called by the reconciler before anything resolves). */
  public static void servedBy(OperatorIdentity operator, Context<PiStack> context) {
    context.managedWorkflowAndDependentResourceContext().put(OPERATOR_KEY, operator);
  }

  public static ResolvedStack of(PiStack primary, Context<PiStack> context) {
    var shared = context.managedWorkflowAndDependentResourceContext();
    ResolvedStack kept = shared.get(KEY, ResolvedStack.class).orElse(null);
    // Kept only for this very object: a context is per reconcile, but never trust a stale view.
    if (kept != null && kept.source() == primary) {
      return kept;
    }
    ResolvedStack stack = new ResolvedStack(primary, SecretWatch.lookup(primary, context))
        .withOperator(shared.get(OPERATOR_KEY, OperatorIdentity.class).orElse(OperatorIdentity.OUTSIDE));
    shared.put(KEY, stack);
    return stack;
  }
}
