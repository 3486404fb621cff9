package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.SecretBuilder;

/**
 * The embedded database's read-only backup user ({@code <stack>-db-backup}): created once, never updated, never
 * deleted by the operator, owned like the credentials (it survives the PiStack unless storage.deleteWithStack).
 * The MariaDB pod's user step creates the user from it; the backup Jobs dump with it. A stack created before this
 * Secret existed gets it on its next reconcile (its database pod rolls once and the step creates the user).
 * Shares the credentials dependent's informer (the operator's labelled Secrets).
 */
public class DatabaseBackupUserDependent extends KubernetesDependentResource<Secret, PiStack>
    implements Creator<Secret, PiStack> {

  public DatabaseBackupUserDependent() {
    super(Secret.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(Resolved.of(primary, context).databaseBackupSecretName(),
        primary.getMetadata().getNamespace());
  }

  @Override
  protected Secret desired(PiStack primary, Context<PiStack> context) {
    return SecretBuilder.databaseBackup(Resolved.of(primary, context), SecretBuilder.randomPassword());
  }

  @Override
  protected void addReferenceHandlingMetadata(Secret desired, PiStack primary) {
    super.addReferenceHandlingMetadata(desired, primary);
    DataOwnership.apply(desired, primary);
  }
}
