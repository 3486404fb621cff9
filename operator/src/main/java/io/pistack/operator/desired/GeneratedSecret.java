package io.pistack.operator.desired;

import io.fabric8.kubernetes.api.model.Secret;
import java.util.function.Function;

/**
 * A Secret the operator generates (the database's credentials, root's and the backup user's passwords, Qdrant's API
 * key): created once with a random value, never updated. The desired stage knows its shape, not its value: the
 * dependent fills the value in when it creates it; `render` prints the shape, with {@link #PLACEHOLDER}, as comments.
 *
 * @param name the Secret's name
 * @param withValue the Secret holding the given password (or key)
 */
public record GeneratedSecret(String name, Function<String, Secret> withValue) {
  /** What stands for the generated value wherever it is shown. */
  public static final String PLACEHOLDER = "<generated-by-the-operator>";

  /** The Secret as it would be created, with {@link #PLACEHOLDER} for its value. */
  public Secret placeholder() {
    return withValue.apply(PLACEHOLDER);
  }

  /** True for a generated Secret shown with its placeholder (see {@link #placeholder}). */
  public static boolean isPlaceholder(Secret s) {
    return s.getStringData() != null && s.getStringData().containsValue(PLACEHOLDER);
  }
}
