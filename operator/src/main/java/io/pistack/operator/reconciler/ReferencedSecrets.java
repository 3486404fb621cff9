package io.pistack.operator.reconciler;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.access.ApiAccess;
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

  public static List<String> missing(KubernetesClient client, ResolvedStack stack) {
    Set<SecretKey> wanted = new LinkedHashSet<>();
    stack.licence().ifPresent(wanted::add);
    if (stack.userCredentialsSecret().isPresent()) {
      if (!stack.embeddedDatabase()) {
        wanted.add(stack.databaseUsername());
      }
      wanted.add(stack.databasePassword());
    }
    List<String> missing = new ArrayList<>();
    for (SecretKey ref : wanted) {
      Secret s = client.secrets().inNamespace(stack.namespace()).withName(ref.secret()).get();
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
