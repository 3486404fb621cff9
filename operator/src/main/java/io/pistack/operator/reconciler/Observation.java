package io.pistack.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pistack.operator.model.Component;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one reconcile saw: the children's live state and any problem that stops the stack
 * converging. Problems are short texts that never contain Secret values.
 *
 * @param deployments the component Deployments found, by component
 * @param database the embedded database's StatefulSet, if any
 * @param invalidSpec spec problems (field path: message); non-empty means nothing was applied
 * @param missingReferences Secrets the spec names that do not exist (or lack the key)
 * @param applyError a failure to apply children, summarised
 */
public record Observation(
    Map<Component, Deployment> deployments,
    Optional<StatefulSet> database,
    List<String> invalidSpec,
    List<String> missingReferences,
    Optional<String> applyError) {

  public static Observation invalid(List<String> problems) {
    return new Observation(Map.of(), Optional.empty(), problems, List.of(), Optional.empty());
  }
}
