package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.Ownership;
import io.pistack.operator.model.ResolvedStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps the generated credentials Secret's (and root's, the backup user's and Qdrant's API key Secrets') owner references in line with storage.deleteWithStack.
 * The Secret is created once and never updated by its dependent (its password must never change),
 * so an opt-in made later, or a PiStack re-created with the same name adopting the Secret, is
 * handled here: a PiStack owner reference only with the opt-in, and only to the current PiStack.
 * A stale reference to a deleted PiStack is dropped, or the garbage collector would delete the
 * Secret the new PiStack just adopted. Writes only when the references differ.
 */
@ApiAccess(resource = "secrets", verbs = {"get", "patch"},
    why = "keeps the generated credentials Secret's owner reference in line with storage.deleteWithStack")
public final class CredentialsOwnership {
  private CredentialsOwnership() {}

  public static void sync(ResolvedStack stack, Context<PiStack> context) {
    ForeignNames.generatedSecrets(stack).forEach(name -> sync(stack, context, name));
    // Qdrant's key follows its volume: kept, also while Qdrant is off, unless storage.deleteWithStack.
    if (!stack.enabled(Component.QDRANT)) {
      sync(stack, context, stack.qdrantApiKeySecretName());
    }
  }

  private static void sync(ResolvedStack stack, Context<PiStack> context, String name) {
    PiStack primary = stack.source();
    // Only a Secret the operator created: a foreign one holding the name is never owned (ForeignNames).
    SecretWatch.find(primary, context, name)
        .filter(secret -> Ownership.createdFor(secret, primary))
        .ifPresent(secret -> {
          List<OwnerReference> wanted = wanted(secret.getMetadata().getOwnerReferences(), primary,
              stack.storage().deleteDataWithStack());
          if (!Objects.equals(wanted, nonNull(secret.getMetadata().getOwnerReferences()))) {
            context.getClient().secrets().inNamespace(stack.namespace()).withName(name).edit(s -> {
              s.getMetadata().setOwnerReferences(wanted);
              return s;
            });
          }
        });
  }

  /** The references that are not to a PiStack, plus one to this PiStack when opted in. */
  static List<OwnerReference> wanted(List<OwnerReference> current, PiStack primary, boolean owned) {
    List<OwnerReference> out = new ArrayList<>();
    for (OwnerReference r : nonNull(current)) {
      if (!(PiStack.class.getSimpleName().equals(r.getKind())
          && r.getApiVersion() != null && r.getApiVersion().startsWith(PiStack.GROUP + "/"))) {
        out.add(r);
      }
    }
    if (owned) {
      Secret probe = new Secret();
      probe.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
          .withNamespace(primary.getMetadata().getNamespace()).build());
      probe.addOwnerReference(primary);
      out.addAll(probe.getMetadata().getOwnerReferences());
    }
    return out;
  }

  private static List<OwnerReference> nonNull(List<OwnerReference> refs) {
    return refs == null ? List.of() : refs;
  }
}
