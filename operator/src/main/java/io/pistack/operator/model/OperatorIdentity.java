package io.pistack.operator.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where the operator's own pods run and how they are labelled: the one peer besides a stack's own
 * parts that its NetworkPolicies admit (the operator's active health checks), and the namespace
 * no PiStack may live in (docs/security.md). The chart passes both (PI_OPERATOR_NAMESPACE from the
 * downward API, PI_OPERATOR_POD_LABELS from the release's selector labels).
 *
 * @param namespace the operator's namespace; empty when it is not known (run outside the cluster):
 *     then no policy admits the operator's checks, which could not come from a pod anyway
 * @param podLabels labels every operator pod carries (its release's selector labels)
 */
public record OperatorIdentity(Optional<String> namespace, Map<String, String> podLabels) {
  /** The chart's name label, the default when the release's labels are not given. */
  public static final Map<String, String> DEFAULT_POD_LABELS = Map.of(Labels.NAME, "pi-operator");
  /** Outside the cluster: no namespace of its own. */
  public static final OperatorIdentity OUTSIDE = new OperatorIdentity(Optional.empty(), DEFAULT_POD_LABELS);
  /** The label every namespace carries with its own name (set by the API server since Kubernetes 1.21). */
  public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

  public OperatorIdentity {
    namespace = namespace.filter(n -> !n.isBlank());
    podLabels = podLabels == null || podLabels.isEmpty() ? DEFAULT_POD_LABELS
        : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(podLabels));
  }

  public static OperatorIdentity in(String namespace, Map<String, String> podLabels) {
    return new OperatorIdentity(Optional.ofNullable(namespace), podLabels);
  }

  /** True when {@code ns} is the operator's own namespace. */
  public boolean runsIn(String ns) {
    return namespace.isPresent() && namespace.get().equals(ns);
  }
}
