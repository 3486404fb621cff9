package io.pistack.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.ForeignNames;
import io.pistack.operator.dependent.SecretWatch;
import io.pistack.operator.model.OperatorIdentity;
import io.pistack.operator.model.OperatorPolicy;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SpecCheck;
import io.pistack.operator.status.Observation;
import io.pistack.operator.status.Recheck;
import io.pistack.operator.status.ReferencedSecrets;
import io.pistack.operator.status.StackEvents;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The spec stage: resolves the spec once, and gates it: what stops a stack before anything is applied, as the Observation its status
 * reports. In order: an invalid spec, what the operator's policy refuses (both SpecCheck, the model's one call;
 * docs/security.md), a name held by an object the operator did not create
 * (ForeignNames: never mount, patch or own it). A valid spec's advice (SpecCheck) is
 * given here as Events, once per spec generation, so a restarted operator does not repeat it.
 */
@io.pistack.operator.access.ApiAccess.PassesClient("hands context.getClient() to GatewayApi (API discovery only)")
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

  /**
   * What stops the stack here; else spec.restore resolved to one backup and its source (RestoreResolver), a refused
   * one stopping the stack too (looked at again after RECHECK_RESTORE_SOURCE, or when a PiBackup changes).
   */
  Verdict check(PiStack stack, Context<PiStack> context) {
    // Resolving is lazy: nothing is computed from the spec before it is validated.
    ResolvedStack resolved = new ResolvedStack(stack).withOperator(operator);
    SpecCheck check = SpecCheck.of(resolved, policy);
    Optional<Observation> stopped = stop(resolved, check, context);
    if (stopped.isPresent()) {
      return stopped(resolved, stopped.get(), Optional.empty());
    }
    var restore = io.pistack.operator.model.RestoreResolver.resolve(resolved,
        io.pistack.operator.dependent.RestoreLookup.of(context));
    if (restore.refusal().isPresent()) {
      return stopped(resolved, Observation.refused(List.of(restore.refusal().get()),
          io.pistack.operator.status.Reason.RESTORE_SOURCE_REFUSED), Optional.of(Recheck.RECHECK_RESTORE_SOURCE));
    }
    ResolvedStack read = resolved.withSecrets(SecretWatch.digests(resolved, context));
    return new Verdict(read, Optional.empty(), Optional.empty(), restore.request(), check.advice(),
        ReferencedSecrets.check(read));
  }

  private static Verdict stopped(ResolvedStack resolved, Observation why, Optional<java.time.Duration> recheck) {
    return new Verdict(resolved, Optional.of(why), recheck, Optional.empty(), List.of(),
        new ReferencedSecrets.Check(List.of(), List.of()));
  }

  /** What stops the stack here, or empty when it goes on. Nothing is computed from an invalid spec. */
  private Optional<Observation> stop(ResolvedStack resolved, SpecCheck check, Context<PiStack> context) {
    PiStack stack = resolved.source();
    if (!check.problems().isEmpty()) {
      return Optional.of(Observation.invalid(check.problems()));
    }
    if (!check.refused().isEmpty()) {
      return Optional.of(Observation.refused(check.refused()));
    }
    if (resolved.httpRouteEnabled() && !io.pistack.operator.dependent.GatewayApi.available(context.getClient())) {
      return Optional.of(Observation.refused(List.of(io.pistack.operator.dependent.GatewayApi.MISSING),
          io.pistack.operator.status.Reason.GATEWAY_API_MISSING));
    }
    if (isNewGeneration(stack)) {
      check.advice().forEach(w -> events.warning(stack, w.reason(), w.toString()));
    }
    List<String> taken = ForeignNames.taken(resolved, context);
    return taken.isEmpty() ? Optional.empty() : Optional.of(Observation.namesTaken(taken));
  }

  private static boolean isNewGeneration(PiStack stack) {
    return stack.getStatus() == null
        || !Objects.equals(stack.getStatus().observedGeneration, stack.getMetadata().getGeneration());
  }
}
