package io.pistack.operator.model;

import java.util.List;

/**
 * Everything the operator decides about a spec before anything is applied, in order: what is invalid
 * ({@link SpecValidator}), else what the cluster's policy refuses ({@link PolicyCheck}), else the advice on a
 * legal spec ({@link SpecWarnings}). A stack with problems or refusals gets no advice: it is not applied.
 *
 * @param problems the invalid fields, each with its path (Ready=False, InvalidSpec)
 * @param refused what the operator's policy refuses (Ready=False, RefusedByPolicy)
 * @param advice legal settings that are almost certainly wrong
 */
public record SpecCheck(List<String> problems, List<String> refused, List<SpecWarnings.Warning> advice) {

  public static SpecCheck of(ResolvedStack resolved, OperatorPolicy policy) {
    List<String> problems = SpecValidator.validate(resolved.source()).stream().map(Object::toString).toList();
    if (!problems.isEmpty()) {
      return new SpecCheck(problems, List.of(), List.of());
    }
    List<String> refused = PolicyCheck.messages(PolicyCheck.check(resolved, policy));
    if (!refused.isEmpty()) {
      return new SpecCheck(List.of(), refused, List.of());
    }
    return new SpecCheck(List.of(), List.of(), SpecWarnings.of(resolved));
  }
}
