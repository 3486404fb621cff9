package io.pistack.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.SpecInputs;
import io.pistack.operator.model.OperatorIdentity;
import io.pistack.operator.model.OperatorPolicy;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SpecCheck;
import io.pistack.operator.status.Observation;
import io.pistack.operator.status.ReferencedSecrets;
import io.pistack.operator.status.StackEvents;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The spec stage: resolves the spec once, checks it (SpecCheck, the model's one call), reads once what deciding needs
 * of the cluster (SpecInputs, only for a valid and allowed spec), and decides from those values (SpecDecision, pure):
 * what stops a stack before anything is applied, as the Observation its status reports (docs/security.md), else the
 * restore it asks for and the check of the Secrets it names. A valid spec's advice (SpecCheck) is given here as
 * Events, once per spec generation, so a restarted operator does not repeat it.
 */
final class SpecGate {
  private final StackEvents events;
  private final OperatorPolicy policy;
  private final OperatorIdentity operator;

  SpecGate(StackEvents events, OperatorPolicy policy, OperatorIdentity operator) {
    this.events = events;
    this.policy = policy;
    this.operator = operator;
  }

  /**
   * The spec stage's value: the spec resolved once (the dependents, through the Pass, and the status read this same
   * view); what stops the stack and when to look again, else the restore it asks for, resolved, its advice, and the
   * check of the Secrets it names (read once into the view, SecretWatch#digests, after the gate).
   */
  record Verdict(ResolvedStack resolved, Optional<Observation> stopped, Optional<java.time.Duration> recheck,
      Optional<io.pistack.operator.model.BackupSettings.RestoreRequest> restore,
      List<io.pistack.operator.model.SpecWarnings.Warning> advice, ReferencedSecrets.Check secrets) {}

  /** What stops the stack here (SpecDecision, in its order); else what it goes on with. */
  Verdict check(PiStack stack, Context<PiStack> context) {
    // Resolving is lazy: nothing is computed from the spec, nor read for it, before it is validated.
    ResolvedStack resolved = new ResolvedStack(stack).withOperator(operator);
    SpecCheck check = SpecCheck.of(resolved, policy);
    Optional<SpecInputs> read = SpecDecision.readsInputs(check) ? Optional.of(SpecInputs.read(resolved, context))
        : Optional.empty();
    SpecDecision decided = SpecDecision.of(resolved, check, read);
    if (decided.advise() && isNewGeneration(stack)) {
      check.advice().forEach(w -> events.warning(stack, w.reason(), w.toString()));
    }
    return decided.verdict();
  }

  private static boolean isNewGeneration(PiStack stack) {
    return stack.getStatus() == null
        || !Objects.equals(stack.getStatus().observedGeneration, stack.getMetadata().getGeneration());
  }
}
