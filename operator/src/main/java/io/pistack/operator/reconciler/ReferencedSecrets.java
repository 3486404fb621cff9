package io.pistack.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.ComponentDefinition.ServedTls;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.ResolvedStack.SecretKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks that the Secrets the user named exist and hold the named keys. Looked up by name (a GET
 * each), never through a cluster-wide Secret cache. Only names and keys are reported, never values.
 */
@ApiAccess(resource = "secrets", verbs = "get", why = "reads the Secrets a PiStack names, by name")
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

  public static Check check(KubernetesClient client, ResolvedStack stack) {
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
    if (stack.userCredentialsSecret().isPresent()) {
      // The dashboard and scheduler read both keys, whichever database it is.
      credentials.add(stack.databaseUsername());
      credentials.add(stack.databasePassword());
    }
    java.util.Map<String, Secret> fetched = new java.util.HashMap<>();
    return new Check(problems(client, stack, other, fetched), problems(client, stack, credentials, fetched));
  }

  private static List<String> problems(KubernetesClient client, ResolvedStack stack, Set<SecretKey> wanted,
      java.util.Map<String, Secret> fetched) {
    List<String> missing = new ArrayList<>();
    for (SecretKey ref : wanted) {
      Secret s = fetched.containsKey(ref.secret()) ? fetched.get(ref.secret())
          : client.secrets().inNamespace(stack.namespace()).withName(ref.secret()).get();
      fetched.put(ref.secret(), s);
      if (s == null) {
        missing.add("Secret " + ref.secret() + " not found");
      } else if (!has(s, ref.key())) {
        missing.add("Secret " + ref.secret() + " has no key " + ref.key());
      }
    }
    return missing.stream().distinct().toList();
  }

  private static boolean has(Secret s, String key) {
    return (s.getData() != null && s.getData().containsKey(key))
        || (s.getStringData() != null && s.getStringData().containsKey(key));
  }
}
