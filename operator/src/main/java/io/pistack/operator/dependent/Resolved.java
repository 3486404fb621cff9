package io.pistack.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.ResolvedStack;

/**
 * The reconcile's {@link ResolvedStack}: resolved once per reconcile (by the reconciler, first)
 * and kept in the reconcile's context, so the reconciler, every dependent and the status read the
 * same view of the spec.
 */
public final class Resolved {
  static final String KEY = "pi-operator.resolved-stack";

  private Resolved() {}

  public static ResolvedStack of(PiStack primary, Context<PiStack> context) {
    var shared = context.managedWorkflowAndDependentResourceContext();
    ResolvedStack kept = shared.get(KEY, ResolvedStack.class).orElse(null);
    // Kept only for this very object: a context is per reconcile, but never trust a stale view.
    if (kept != null && kept.source() == primary) {
      return kept;
    }
    ResolvedStack stack = new ResolvedStack(primary, SecretWatch.lookup(primary, context));
    shared.put(KEY, stack);
    return stack;
  }
}
