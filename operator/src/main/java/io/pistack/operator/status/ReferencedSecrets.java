package io.pistack.operator.status;

import io.pistack.operator.model.Component;
import io.pistack.operator.model.ComponentDefinition.ServedTls;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.ResolvedStack.SecretKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that the Secrets the user named exist and hold the named keys. Read from the Secret watch
 * (names, keys and digests of the Secrets of the watched namespaces: SecretWatch), never with a
 * GET per reconcile, never from a cache of Secret data. Only names and keys are reported, never
 * values.
 */
public final class ReferencedSecrets {
  private ReferencedSecrets() {}

  /**
   * What is missing, split by purpose.
   *
   * @param other the licence Secret's and the HTTPS certificate Secrets' problems
   * @param credentials the database credentials Secret's problems (user-given Secrets only)
   */
  public record Check(List<String> other, List<String> credentials) {
    public List<String> all() {
      List<String> all = new ArrayList<>(other);
      credentials.stream().filter(c -> !all.contains(c)).forEach(all::add);
      return all;
    }
  }

  public static Check check(ResolvedStack stack) {
    Set<SecretKey> other = new LinkedHashSet<>();
    stack.licence().ifPresent(other::add);
    // The certificate Secret of a component serving HTTPS: both keys of a kubernetes.io/tls Secret.
    for (Component c : stack.enabledComponents()) {
      stack.tlsSecretName(c).ifPresent(name -> {
        other.add(new SecretKey(name, ServedTls.CERT_KEY));
        other.add(new SecretKey(name, ServedTls.PRIVATE_KEY_KEY));
      });
    }
    Set<SecretKey> credentials = new LinkedHashSet<>();
    if (stack.database().userCredentialsSecret().isPresent()) {
      // The dashboard and scheduler read both keys, whichever database it is.
      credentials.add(stack.database().username());
      credentials.add(stack.database().password());
    }
    List<String> credentialProblems = new ArrayList<>(problems(stack, credentials));
    rootRefused(stack).or(() -> userNameRefused(stack)).ifPresent(credentialProblems::add);
    return new Check(problems(stack, other), credentialProblems);
  }

  /** The end of the problem {@link #rootRefused} reports (DatabaseVerdict gives it its own reason). */
  public static final String ROOT_REFUSED = "names the user root, which the embedded database refuses: root logs in"
      + " only inside the database pod; name another user (the database pod creates it)";

  /**
   * The embedded database refuses a user credentials Secret that names root (docs/database-user.md). Compared by
   * digest (the Secret watch keeps no value).
   */
  static java.util.Optional<String> rootRefused(ResolvedStack stack) {
    if (!stack.database().embedded() || stack.database().userCredentialsSecret().isEmpty()) {
      return java.util.Optional.empty();
    }
    SecretKey user = stack.database().username();
    return stack.secrets().find(user.secret()).map(d -> d.keys().get(user.key()))
        .filter(io.pistack.operator.model.SlimSecrets.digestOf(
            io.pistack.operator.model.SecretBuilder.LEGACY_USERNAME)::equals)
        .map(d -> "Secret " + user.secret() + " key " + user.key() + " " + ROOT_REFUSED);
  }

  /** The start of the problem {@link #userNameRefused} reports (DatabaseVerdict gives it its own reason). */
  public static final String USER_NAME_REFUSED = "is not a user name the embedded database creates: it";

  /**
   * The embedded database creates no user whose name breaks DatabaseUserName's rule (the database pod
   * changes nothing then). Read from the Secret watch's verdict per key: no value is kept or reported.
   */
  static java.util.Optional<String> userNameRefused(ResolvedStack stack) {
    if (!stack.database().embedded() || stack.database().userCredentialsSecret().isEmpty()) {
      return java.util.Optional.empty();
    }
    SecretKey user = stack.database().username();
    return stack.secrets().find(user.secret()).map(d -> d.notUserNames().get(user.key()))
        .map(p -> "Secret " + user.secret() + " key " + user.key() + " " + USER_NAME_REFUSED + " " + p.words()
            + "; " + io.pistack.operator.model.DatabaseUserName.RULE);
  }

  private static List<String> problems(ResolvedStack stack, Set<SecretKey> wanted) {
    List<String> missing = new ArrayList<>();
    for (SecretKey ref : wanted) {
      var found = stack.secrets().find(ref.secret());
      if (found.isEmpty()) {
        missing.add("Secret " + ref.secret() + " not found");
      } else if (!found.get().keys().containsKey(ref.key())) {
        missing.add("Secret " + ref.secret() + " has no key " + ref.key());
      }
    }
    return missing.stream().distinct().toList();
  }
}
