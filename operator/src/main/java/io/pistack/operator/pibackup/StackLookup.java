package io.pistack.operator.pibackup;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SpecValidator;
import io.pistack.operator.status.PiBackupDecision.StackProblem;
import io.pistack.operator.status.PiBackupDecision.Why;

/**
 * The stack a PiBackup names, resolved as the PiStack's own reconcile resolves it, or why it cannot be backed up:
 * it does not exist, its spec is invalid, or its backups are not configured. Read (one GET) only while the PiBackup
 * has no Job yet, or is to get its verification Job.
 */
@ApiAccess(group = PiStack.GROUP, resource = "pistacks", verbs = "get",
    why = "reads the PiStack a PiBackup names, before its backup Job is created")
final class StackLookup {
  /** The resolved stack, or the problem. */
  record Found(ResolvedStack stack, StackProblem problem) {}

  private StackLookup() {}

  static Found of(KubernetesClient client, PiBackup backup) {
    String ns = backup.getMetadata().getNamespace();
    String name = backup.getSpec().stack;
    PiStack stack = client.resources(PiStack.class).inNamespace(ns).withName(name).get();
    if (stack == null) {
      return problem(Why.StackNotFound, "PiStack " + name + " does not exist in namespace " + ns
          + "; create the stack first, then another PiBackup");
    }
    if (!SpecValidator.validate(stack).isEmpty()) {
      return problem(Why.InvalidStack, "PiStack " + name + " has an invalid spec (see its Ready condition);"
          + " it is not backed up until it is fixed");
    }
    ResolvedStack resolved = new ResolvedStack(stack);
    if (!resolved.backup().enabled()) {
      return problem(Why.BackupsNotConfigured, "PiStack " + name + " does not have backups configured:"
          + " set spec.backup.enabled (and its storage) on the stack, then create another PiBackup");
    }
    return new Found(resolved, null);
  }

  private static Found problem(Why why, String message) {
    return new Found(null, new StackProblem(why, message));
  }
}
