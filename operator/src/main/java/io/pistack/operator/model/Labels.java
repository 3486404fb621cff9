package io.pistack.operator.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** The recommended labels every child carries, and the selector subset. */
public final class Labels {
  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String VERSION = "app.kubernetes.io/version";
  public static final String OPERATOR = "pi-operator";
  /** Label keys the operator owns: users cannot add pod labels under it. */
  public static final String RESERVED_PREFIX = "app.kubernetes.io/";
  /** The label selector of every informer the operator runs. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

  private Labels() {}

  /** All labels of a child named after {@code part} (a component part, "db", "shared"...). */
  public static Map<String, String> of(ResolvedStack stack, String part) {
    Map<String, String> labels = new LinkedHashMap<>(selector(stack, part));
    labels.put(MANAGED_BY, OPERATOR);
    labels.put(PART_OF, "panintelligence");
    return labels;
  }

  /**
   * A pod's labels: the child's, plus the user's extra ones. The operator's own always win (the
   * schema refuses reserved keys; this keeps `render` and selectors safe without it).
   */
  public static Map<String, String> pod(ResolvedStack stack, String part, Map<String, String> extra) {
    Map<String, String> labels = of(stack, part);
    if (extra != null) {
      extra.forEach((k, v) -> {
        if (!k.startsWith(RESERVED_PREFIX)) {
          labels.putIfAbsent(k, v);
        }
      });
    }
    return labels;
  }

  /** The immutable subset used in Deployment/StatefulSet/Service selectors. */
  public static Map<String, String> selector(ResolvedStack stack, String part) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, "pi-" + part);
    labels.put(INSTANCE, stack.name());
    labels.put(COMPONENT, part);
    return labels;
  }
}
