package io.pistack.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.BackupRecorder;
import io.pistack.operator.dependent.CredentialsOwnership;
import io.pistack.operator.dependent.DatabaseUserMigration;
import io.pistack.operator.dependent.Pass;
import io.pistack.operator.model.ResolvedStack;
import java.util.Optional;

/**
 * The apply stage: keeps the reconcile's Pass in the context (the one value the dependents read), then
 * runs the workflow of the reconciler's dependents, unless the stack is paused. A stack
 * created before the application user moves onto it first, once (DatabaseUserMigration: root's Secret,
 * new credentials); the credentials Secret's ownership follows the workflow (CredentialsOwnership). A failed apply
 * is counted and summarised (Failures; ErrorSummary a level below); then, paused or not, a PiBackup is recorded per
 * backup Job of the stack's own and keep prunes them (BackupRecorder). Its one value: the failure to report and the
 * retry's delay (Failures.AfterApply).
 */
final class Apply {
  private Apply() {}

  static Failures.AfterApply children(Pass pass, Context<PiStack> context, Failures failures) {
    pass.keep(context);
    ResolvedStack resolved = pass.stack();
    Failures.AfterApply after = failures.applied(resolved.source(), context,
        resolved.paused() ? Optional.empty() : Optional.of(workflow(resolved, context)));
    BackupRecorder.sync(resolved, resolved.source(), context);
    return after;
  }

  private static WorkflowReconcileResult workflow(ResolvedStack resolved, Context<PiStack> context) {
    DatabaseUserMigration.migrate(resolved, context);
    WorkflowReconcileResult result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    CredentialsOwnership.sync(resolved, context);
    return result;
  }
}
