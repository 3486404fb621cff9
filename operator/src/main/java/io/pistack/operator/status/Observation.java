package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pistack.operator.health.StackHealth;
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
 * @param pods the stack's pods (label-selected informer), of every component and the database
 * @param health the active probes' current view (disabled or not yet probed: no records)
 * @param invalidSpec spec problems (field path: message); non-empty means nothing was applied
 * @param missingReferences Secrets the spec names that do not exist (or lack the key), other than
 *     the database credentials
 * @param missingCredentials the database credentials Secret's problems (absent, or lacking a key)
 * @param applyError a failure to apply children, summarised
 * @param invalidReason the reason reporting {@code invalidSpec}: InvalidSpec, or RefusedByPolicy for what the
 *     operator's policy refuses (PolicyCheck)
 * @param namesTaken names the stack's objects need that objects the operator did not create hold (ForeignNames);
 *     non-empty means nothing was applied
 * @param route the stack's HTTPRoute as the cache holds it (its status written by the Gateway controller), when
 *     spec.httpRoute is on and the route exists
 */
public record Observation(
    Map<Component, Deployment> deployments,
    Optional<StatefulSet> database,
    List<Pod> pods,
    StackHealth health,
    List<String> invalidSpec,
    List<String> missingReferences,
    List<String> missingCredentials,
    Optional<String> applyError,
    String invalidReason,
    List<String> namesTaken,
    Optional<io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute> route) {

  public Observation(Map<Component, Deployment> deployments, Optional<StatefulSet> database, List<Pod> pods,
      StackHealth health, List<String> invalidSpec, List<String> missingReferences, List<String> missingCredentials,
      Optional<String> applyError, String invalidReason, List<String> namesTaken) {
    this(deployments, database, pods, health, invalidSpec, missingReferences, missingCredentials, applyError,
        invalidReason, namesTaken, Optional.empty());
  }

  /** The same, with the stack's HTTPRoute as seen. */
  public Observation withRoute(Optional<io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute> seen) {
    return new Observation(deployments, database, pods, health, invalidSpec, missingReferences, missingCredentials,
        applyError, invalidReason, namesTaken, seen);
  }

  public Observation(Map<Component, Deployment> deployments, Optional<StatefulSet> database, List<Pod> pods,
      StackHealth health, List<String> invalidSpec, List<String> missingReferences, List<String> missingCredentials,
      Optional<String> applyError) {
    this(deployments, database, pods, health, invalidSpec, missingReferences, missingCredentials, applyError,
        Reason.INVALID_SPEC.wire(), List.of());
  }

  /** Without pods, probes or credential checks (as before those were observed). */
  public Observation(Map<Component, Deployment> deployments, Optional<StatefulSet> database,
      List<String> invalidSpec, List<String> missingReferences, Optional<String> applyError) {
    this(deployments, database, List.of(), StackHealth.DISABLED, invalidSpec, missingReferences, List.of(),
        applyError);
  }

  public static Observation invalid(List<String> problems) {
    return new Observation(Map.of(), Optional.empty(), problems, List.of(), Optional.empty());
  }

  /** What the operator's policy refuses: reported like an invalid spec, with its own reason. */
  public static Observation refused(List<String> refusals) {
    return refused(refusals, Reason.REFUSED_BY_POLICY);
  }

  /** Refused before anything is applied, under {@code reason} (RefusedByPolicy, GatewayApiMissing). */
  public static Observation refused(List<String> refusals, Reason reason) {
    return new Observation(Map.of(), Optional.empty(), List.of(), StackHealth.DISABLED, refusals, List.of(), List.of(),
        Optional.empty(), reason.wire(), List.of());
  }

  /** Names held by foreign objects: nothing was applied. */
  public static Observation namesTaken(List<String> problems) {
    return new Observation(Map.of(), Optional.empty(), List.of(), StackHealth.DISABLED, List.of(), List.of(),
        List.of(), Optional.empty(), Reason.INVALID_SPEC.wire(), problems);
  }
}
