package io.pistack.operator.model;

import java.util.Optional;
import java.util.regex.Pattern;

/** The forms the API server requires of keys and values the spec passes through to children. */
final class KubernetesForms {
  private static final Pattern NAME_PART = Pattern.compile("^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$");
  private static final Pattern SUBDOMAIN = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  private static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$");
  private static final Pattern ENV_NAME = Pattern.compile("^[-._a-zA-Z][-._a-zA-Z0-9]*$");
  private static final Pattern SECRET_KEY = Pattern.compile("^[-._a-zA-Z0-9]+$");

  private KubernetesForms() {}

  /** A label or annotation key: an optional DNS-subdomain prefix and '/', then a name of at most 63. */
  static Optional<String> qualifiedName(String key) {
    if (key == null || key.isEmpty()) {
      return Optional.of("a key must not be empty");
    }
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefix = key.substring(0, slash);
      name = key.substring(slash + 1);
      if (prefix.isEmpty() || prefix.length() > 253 || !SUBDOMAIN.matcher(prefix).matches()) {
        return Optional.of("the key '" + key + "' has an invalid prefix: it must be a lower-case DNS name"
            + " such as example.com, followed by '/'");
      }
    }
    if (name.isEmpty() || name.length() > 63 || !NAME_PART.matcher(name).matches()) {
      return Optional.of("the key '" + key + "' is not a valid key: at most 63 letters, digits, '-', '_' or '.',"
          + " starting and ending with a letter or digit, after an optional prefix such as example.com/");
    }
    return Optional.empty();
  }

  static boolean labelValue(String value) {
    return value != null && value.length() <= 63 && LABEL_VALUE.matcher(value).matches();
  }

  static boolean subdomain(String value) {
    return value != null && value.length() <= 253 && SUBDOMAIN.matcher(value).matches();
  }

  static boolean envName(String value) {
    return value != null && ENV_NAME.matcher(value).matches();
  }

  static boolean secretKey(String value) {
    return value != null && value.length() <= 253 && SECRET_KEY.matcher(value).matches();
  }
}
