package io.pistack.operator.cli;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.desired.DesiredStack;
import io.pistack.operator.desired.GeneratedSecret;
import io.pistack.operator.model.SecretBuilder;

/**
 * A {@link DesiredStack} as `render` prints it: each object the operator applies as a YAML document, in apply
 * order; each object it creates otherwise as YAML comments that name it ({@code # <Kind> <name> is created by ...}):
 * a generated Secret (never with a value), the database's data claim (the StatefulSet controller's), a Job the plan
 * starts later. Applying the output therefore never creates a Secret with a known value or starts a restore early.
 */
final class DesiredStackYaml {
  private DesiredStackYaml() {}

  static String of(DesiredStack desired) {
    StringBuilder out = new StringBuilder();
    for (HasMetadata o : desired.objects()) {
      out.append(o instanceof Secret s && GeneratedSecret.isPlaceholder(s) ? generatedSecret(s) : Serialization.asYaml(o));
    }
    desired.databaseClaim().ifPresent(c -> out.append(comment(c,
        "is created by the StatefulSet controller from the claim template above, not by this output;\n"
            + "# the operator only grows it when database.embedded.storageSize grows.\n", false)));
    desired.later().forEach(o -> out.append(comment(o,
        "is created by the operator later, not by this output: once the database is ready and the\n"
            + "# dashboard and scheduler are stopped, and only once. Its shape, for reference:\n", true)));
    return out.toString();
  }

  /**
   * A generated Secret as YAML comments: applying render's output must never create it with a known placeholder
   * password. The operator creates it once with a random password.
   */
  static String generatedSecret(Secret s) {
    return comment(s, "is created by the operator, not by this output:\n# once, with a random "
        + SecretBuilder.PASSWORD_LENGTH + "-character password, and never rewritten. Its shape, for reference:\n",
        true);
  }

  private static String comment(HasMetadata o, String why, boolean shape) {
    StringBuilder b = new StringBuilder("---\n");
    b.append("# ").append(o.getKind()).append(' ').append(o.getMetadata().getName()).append(' ').append(why);
    if (shape) {
      Serialization.asYaml(o).replaceFirst("^---\\s*\\n", "").lines().forEach(l -> b.append("#   ").append(l).append('\n'));
    }
    return b.toString();
  }
}
