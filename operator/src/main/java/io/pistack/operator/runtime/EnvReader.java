package io.pistack.operator.runtime;

import io.pistack.operator.health.HealthConfig;
import io.pistack.operator.model.OperatorIdentity;
import io.pistack.operator.runtime.RuntimeConfig.LogFormat;
import io.pistack.operator.runtime.RuntimeConfig.Variable;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link RuntimeConfig}'s environment variables: parses one variable at a time and collects
 * every problem, so one start lists them all.
 */
final class EnvReader {
  private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_KEY =
      Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
  private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
  /** The file holding the pod's namespace, in a pod that mounts its service account token. */
  private static final java.nio.file.Path SERVICE_ACCOUNT_NAMESPACE =
      java.nio.file.Path.of("/var/run/secrets/kubernetes.io/serviceaccount/namespace");

  final Map<String, String> env;
  final List<String> problems = new ArrayList<>();

  EnvReader(Map<String, String> env) {
    this.env = env;
  }

  String raw(Variable v) {
    String value = env.get(v.env);
    return value == null ? v.defaultValue : value.trim();
  }

  void problem(Variable v, String value, String expected) {
    problems.add(v.env + "=\"" + value + "\": " + expected);
  }

  Set<String> namespaces() {
    Set<String> out = new LinkedHashSet<>();
    for (String ns : Arrays.stream(raw(Variable.WATCH_NAMESPACES).split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList()) {
      if (ns.length() > 63 || !DNS_LABEL.matcher(ns).matches()) {
        problem(Variable.WATCH_NAMESPACES, ns, "not a namespace name (lowercase RFC 1123 label)");
      } else {
        out.add(ns);
      }
    }
    return out;
  }

  /**
   * PI_OPERATOR_NAMESPACE, else the service account's namespace file (in a pod), else none; and
   * PI_OPERATOR_POD_LABELS.
   */
  OperatorIdentity operator() {
    String ns = raw(Variable.NAMESPACE);
    if (ns.isEmpty() && java.nio.file.Files.isReadable(SERVICE_ACCOUNT_NAMESPACE)) {
      try {
        ns = java.nio.file.Files.readString(SERVICE_ACCOUNT_NAMESPACE).trim();
      } catch (java.io.IOException e) {
        ns = "";
      }
    }
    if (!ns.isEmpty() && (ns.length() > 63 || !DNS_LABEL.matcher(ns).matches())) {
      problem(Variable.NAMESPACE, ns, "not a namespace name (lowercase RFC 1123 label)");
    }
    java.util.Map<String, String> labels = new java.util.LinkedHashMap<>();
    for (String pair : raw(Variable.POD_LABELS).split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] kv = pair.trim().split("=", 2);
      if (kv.length != 2 || !LABEL_KEY.matcher(kv[0]).matches() || !LABEL_VALUE.matcher(kv[1]).matches()) {
        problem(Variable.POD_LABELS, raw(Variable.POD_LABELS), "expected key=value,... of Kubernetes labels");
        return OperatorIdentity.OUTSIDE;
      }
      labels.put(kv[0], kv[1]);
    }
    return OperatorIdentity.in(ns.isEmpty() ? null : ns, labels);
  }

  Set<String> serviceAccounts() {
    Set<String> out = new LinkedHashSet<>();
    for (String sa : raw(Variable.SERVICE_ACCOUNTS).split(",")) {
      String name = sa.trim();
      if (name.isEmpty()) {
        continue;
      }
      if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
        problem(Variable.SERVICE_ACCOUNTS, name, "not a service account name");
      } else {
        out.add(name);
      }
    }
    return out;
  }

  /** The shard's selectors; a namespace selector excludes a list of watched namespaces. */
  ShardConfig shard(Set<String> watched) {
    java.util.Optional<LabelSelector> stacks = selector(Variable.STACK_SELECTOR);
    java.util.Optional<LabelSelector> namespaces = selector(Variable.NAMESPACE_SELECTOR);
    if (namespaces.isPresent() && !watched.isEmpty()) {
      problem(Variable.NAMESPACE_SELECTOR, raw(Variable.NAMESPACE_SELECTOR),
          "set either it or " + Variable.WATCH_NAMESPACES.env + ", not both");
    }
    return new ShardConfig(stacks, namespaces);
  }

  private java.util.Optional<LabelSelector> selector(Variable v) {
    if (raw(v).isEmpty()) {
      return java.util.Optional.empty();
    }
    List<String> why = new ArrayList<>();
    java.util.Optional<LabelSelector> s = LabelSelector.parse(raw(v), why);
    why.forEach(w -> problem(v, raw(v), "not a label selector: " + w));
    return s;
  }

  boolean bool(Variable v) {
    String value = raw(v).toLowerCase(Locale.ROOT);
    switch (value) {
      case "true", "on", "yes", "1" -> {
        return true;
      }
      case "false", "off", "no", "0", "" -> {
        return false;
      }
      default -> {
        problem(v, raw(v), "expected true or false");
        return false;
      }
    }
  }

  String name(Variable v, Pattern pattern, int max) {
    String value = raw(v);
    if (value.length() > max || !pattern.matcher(value).matches()) {
      problem(v, value, "not a valid Kubernetes object name");
    }
    return value;
  }

  int integer(Variable v, int min, int max) {
    String value = raw(v);
    try {
      int i = Integer.parseInt(value);
      if (i < min || i > max) {
        problem(v, value, "expected a whole number from " + min + " to " + max);
      }
      return i;
    } catch (NumberFormatException e) {
      problem(v, value, "expected a whole number from " + min + " to " + max);
      return min;
    }
  }

  Duration duration(Variable v) {
    String value = raw(v).toLowerCase(Locale.ROOT);
    if (value.equals("0") || value.equals("off") || value.equals("false")) {
      return Duration.ZERO;
    }
    Duration d = parseDuration(value);
    if (d == null || d.isNegative()) {
      problem(v, raw(v), "expected a duration such as 30s, 2m, PT1M or plain seconds, or 0/off to disable");
      return Duration.ZERO;
    }
    return d;
  }

  /** Timeout, concurrency and threshold as HealthConfig reads them; the interval as parsed above. */
  HealthConfig health(Duration interval) {
    Map<String, String> rest = new java.util.HashMap<>(env);
    rest.remove(HealthConfig.INTERVAL_ENV);
    try {
      return HealthConfig.fromEnv(rest).withInterval(interval);
    } catch (IllegalArgumentException e) {
      problems.add(e.getMessage());
      return HealthConfig.defaults().withInterval(interval);
    }
  }

  /** "15s", "500ms", "2m", "1h", plain seconds ("30") or ISO-8601 ("PT1M"); null when it is neither. */
  private static Duration parseDuration(String value) {
    Matcher m = SIMPLE_DURATION.matcher(value);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2) == null ? "s" : m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      };
    }
    try {
      return Duration.parse(value.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  Duration positive(Variable v) {
    String value = raw(v).toLowerCase(Locale.ROOT);
    Duration d = parseDuration(value);
    if (d == null || d.isNegative() || d.isZero()) {
      problem(v, raw(v), "expected a positive duration such as 15s, 500ms or PT1M");
      return null;
    }
    return d;
  }

  /** Lease duration &gt; renew deadline &gt; retry period (fabric8's LeaderElector refuses otherwise). */
  LeaderElection.Timing leaseTiming() {
    Duration lease = positive(Variable.LEASE_DURATION);
    Duration renew = positive(Variable.LEASE_RENEW_DEADLINE);
    Duration retry = positive(Variable.LEASE_RETRY_PERIOD);
    if (lease == null || renew == null || retry == null) {
      return LeaderElection.Timing.DEFAULT;
    }
    if (lease.compareTo(renew) <= 0 || renew.compareTo(retry) <= 0) {
      problems.add(Variable.LEASE_DURATION.env + "=" + raw(Variable.LEASE_DURATION) + ", "
          + Variable.LEASE_RENEW_DEADLINE.env + "=" + raw(Variable.LEASE_RENEW_DEADLINE) + ", "
          + Variable.LEASE_RETRY_PERIOD.env + "=" + raw(Variable.LEASE_RETRY_PERIOD)
          + ": expected lease duration > renew deadline > retry period");
      return LeaderElection.Timing.DEFAULT;
    }
    return new LeaderElection.Timing(lease, renew, retry);
  }

  String logLevel() {
    String value = raw(Variable.LOG_LEVEL).toUpperCase(Locale.ROOT);
    if (value.equals("WARNING")) {
      value = "WARN";
    }
    if (!LEVELS.contains(value)) {
      problem(Variable.LOG_LEVEL, raw(Variable.LOG_LEVEL), "expected one of TRACE, DEBUG, INFO, WARN, ERROR");
      return "INFO";
    }
    return value;
  }

  LogFormat logFormat() {
    String value = raw(Variable.LOG_FORMAT).toLowerCase(Locale.ROOT);
    return switch (value) {
      case "text", "" -> LogFormat.TEXT;
      case "json" -> LogFormat.JSON;
      default -> {
        problem(Variable.LOG_FORMAT, raw(Variable.LOG_FORMAT), "expected text or json");
        yield LogFormat.TEXT;
      }
    };
  }
}
