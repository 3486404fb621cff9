package io.pistack.operator.reconciler;

import io.pistack.operator.dependent.ForeignNames;
import io.pistack.operator.dependent.GatewayApi;
import io.pistack.operator.dependent.SpecInputs;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.RestoreResolver;
import io.pistack.operator.model.SpecCheck;
import io.pistack.operator.status.Observation;
import io.pistack.operator.status.Reason;
import io.pistack.operator.status.Recheck;
import io.pistack.operator.status.ReferencedSecrets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The spec stage's one decision, pure: from the spec's check (SpecCheck) and what was read for it (SpecInputs, read
 * only when the check passed), in order: an invalid spec, what the operator's policy refuses, the Gateway API
 * missing for spec.httpRoute, a name held by an object the operator did not create (ForeignNames: never mount,
 * patch or own it), a restore refused (RestoreResolver: looked at again after RECHECK_RESTORE_SOURCE, or when a
 * PiBackup changes); else the stack goes on with its restore resolved, its advice, and the check of the Secrets it
 * names (ReferencedSecrets), read once into the resolved view.
 *
 * @param verdict the spec stage's value
 * @param advise whether the check's advice is given as Events (the spec is valid, allowed, and its HTTPRoute can be
 *     served: given even when a taken name or a refused restore stops the stack, as before the names were checked)
 */
record SpecDecision(SpecGate.Verdict verdict, boolean advise) {

  static SpecDecision of(ResolvedStack resolved, SpecCheck check, Optional<SpecInputs> inputs) {
    if (!check.problems().isEmpty()) {
      return stopped(resolved, Observation.invalid(check.problems()), false, Optional.empty());
    }
    if (!check.refused().isEmpty()) {
      return stopped(resolved, Observation.refused(check.refused()), false, Optional.empty());
    }
    SpecInputs read = inputs.orElseThrow(() -> new IllegalArgumentException("a spec that passed is read"));
    if (read.gatewayApiMissing()) {
      return stopped(resolved, Observation.refused(List.of(GatewayApi.MISSING), Reason.GATEWAY_API_MISSING), false,
          Optional.empty());
    }
    List<String> taken = ForeignNames.taken(resolved, read.generated());
    if (!taken.isEmpty()) {
      return stopped(resolved, Observation.namesTaken(taken), true, Optional.empty());
    }
    var restore = RestoreResolver.resolve(resolved, read.restore());
    if (restore.refusal().isPresent()) {
      return stopped(resolved, Observation.refused(List.of(restore.refusal().get()), Reason.RESTORE_SOURCE_REFUSED),
          true, Optional.of(Recheck.RECHECK_RESTORE_SOURCE));
    }
    ResolvedStack withSecrets = resolved.withSecrets(read.secrets());
    return new SpecDecision(new SpecGate.Verdict(withSecrets, Optional.empty(), Optional.empty(), restore.request(),
        check.advice(), ReferencedSecrets.check(withSecrets)), true);
  }

  /** Whether anything is read for this spec: only when the check found it valid and allowed. */
  static boolean readsInputs(SpecCheck check) {
    return check.problems().isEmpty() && check.refused().isEmpty();
  }

  private static SpecDecision stopped(ResolvedStack resolved, Observation why, boolean advise,
      Optional<Duration> recheck) {
    return new SpecDecision(new SpecGate.Verdict(resolved, Optional.of(why), recheck, Optional.empty(), List.of(),
        new ReferencedSecrets.Check(List.of(), List.of())), advise);
  }
}
