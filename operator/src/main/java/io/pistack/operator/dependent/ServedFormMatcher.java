package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.SSABasedGenericKubernetesResourceMatcher;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * JOSDK's server-side-apply matcher, comparing the desired object with the live one as the API
 * server stores it. The one place that knows what the server drops or defaults in what we sent, so
 * that a no-op reconcile writes nothing whatever the user puts in env, init containers and sidecars:
 *
 * <ul>
 *   <li>a field we applied (listed in our managed fields) that the server dropped because it was
 *       empty ({@code stdin: false}, {@code workingDir: ""}, {@code value: ""}, {@code args: []},
 *       {@code readOnly: false}, {@code hostIP: ""}) is absent live: it matches a desired empty value;
 *   <li>JOSDK adds {@code value: ""} to live env entries without a value: that matches a desired
 *       entry without one ({@code valueFrom} only, or bare);
 *   <li>a default the server writes inside a struct it treats as one value ({@code fieldRef.apiVersion:
 *       v1}) matches a desired struct without it.
 * </ul>
 *
 * A desired field that is not live and was never applied (not in our managed fields) never matches,
 * so a new {@code allowPrivilegeEscalation: false} is applied.
 */
public class ServedFormMatcher<R extends HasMetadata> extends SSABasedGenericKubernetesResourceMatcher<R> {
  /** Defaults the API server writes inside atomic structs, by struct then field. */
  private static final Map<String, Map<String, Object>> ATOMIC_DEFAULTS = Map.of("fieldRef", Map.of("apiVersion", "v1"));

  @Override
  protected boolean matches(Map<String, Object> actualMap, Map<String, Object> desiredMap, R actual, R desired,
      Context<?> context) {
    return same(actualMap, desiredMap, "");
  }

  /** True when the pruned live value {@code actual} is what the server stores for {@code desired}. */
  @SuppressWarnings("unchecked")
  static boolean same(Object actual, Object desired, String key) {
    if (actual instanceof Map<?, ?> a && desired instanceof Map<?, ?> d) {
      Set<Object> keys = new HashSet<>(a.keySet());
      keys.addAll(d.keySet());
      Map<String, Object> defaults = ATOMIC_DEFAULTS.getOrDefault(key, Map.of());
      for (Object k : keys) {
        if (a.containsKey(k) && d.containsKey(k)) {
          if (!same(a.get(k), d.get(k), String.valueOf(k))) {
            return false;
          }
        } else if (a.containsKey(k)) {
          Object v = a.get(k);
          if (!(v == null || "".equals(v) || Objects.equals(defaults.get(String.valueOf(k)), v))) {
            return false; // we stopped sending a field we own: applying removes it
          }
        } else {
          return false; // a desired field we never applied
        }
      }
      return true;
    }
    if (actual instanceof List<?> a && desired instanceof List<?> d) {
      if (a.size() != d.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), d.get(i), key)) {
          return false;
        }
      }
      return true;
    }
    return actual == null ? empty(desired) : Objects.equals(actual, desired);
  }

  /** What the API server leaves out of an object it stores (omitempty). */
  private static boolean empty(Object v) {
    return v == null || Boolean.FALSE.equals(v) || "".equals(v)
        || (v instanceof Number n && n.doubleValue() == 0)
        || (v instanceof List<?> l && l.isEmpty()) || (v instanceof Map<?, ?> m && m.isEmpty());
  }
}
