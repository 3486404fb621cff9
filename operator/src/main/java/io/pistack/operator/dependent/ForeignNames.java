package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.pistack.operator.desired.DesiredStacks;
import io.pistack.operator.desired.GeneratedSecret;
import io.pistack.operator.model.Ownership;
import io.pistack.operator.model.ResolvedStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The names the operator would create objects under that something else holds. The Secrets it generates
 * (credentials, root's, the backup user's, Qdrant's API key) are the objects whose names a namespace user can take: the pods mount
 * them by name and CredentialsOwnership would own them. A name held by an object the operator did not create
 * ({@link Ownership#createdFor}) is a problem the stack reports (NameTaken); the reconciler then applies nothing,
 * so nothing uses, patches or owns that object. Read from the Secret watch's cache (metadata only), once, by
 * SpecInputs: no request.
 */
public final class ForeignNames {
  private ForeignNames() {}

  /** The Secrets this stack generates (and so would mount and own), by name. */
  public static List<String> generatedSecrets(ResolvedStack stack) {
    return DesiredStacks.generatedSecrets(stack).stream().map(GeneratedSecret::name).toList();
  }

  /**
   * One sentence per name held by a foreign object; empty when every name is free or the operator's own. Pure.
   *
   * @param found the Secrets found under the names the stack generates, as read (SpecInputs)
   */
  public static List<String> taken(ResolvedStack stack, Map<String, Secret> found) {
    List<String> problems = new ArrayList<>();
    for (String name : generatedSecrets(stack)) {
      Optional.ofNullable(found.get(name))
          .filter(s -> !Ownership.createdFor(s, stack.source()))
          .ifPresent(s -> problems.add(message("Secret", name)));
    }
    return problems;
  }

  public static String message(String kind, String name) {
    return kind + " " + name + " exists and was not created by this operator; rename or delete it";
  }
}
