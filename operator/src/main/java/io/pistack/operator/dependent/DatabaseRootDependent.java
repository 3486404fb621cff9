package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SecretBuilder;

/**
 * Root's password of the embedded database ({@code <stack>-db-root}): created once, never updated, never deleted
 * by the operator (like the credentials, it survives the PiStack: the data volume it unlocks does). Only the
 * MariaDB pod references it. A stack created before this Secret existed ran with root's password in its generated
 * credentials: that password is kept ({@link DatabaseUserMigration}), since the datadir's root has it.
 * Shares the credentials dependent's informer (the operator's labelled Secrets).
 */
public class DatabaseRootDependent extends KubernetesDependentResource<Secret, PiStack>
    implements Creator<Secret, PiStack> {

  public DatabaseRootDependent() {
    super(Secret.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(Resolved.of(primary, context).databaseRootSecretName(), primary.getMetadata().getNamespace());
  }

  @Override
  protected Secret desired(PiStack primary, Context<PiStack> context) {
    ResolvedStack stack = Resolved.of(primary, context);
    String password = DatabaseUserMigration.legacyRootPassword(stack, context)
        .orElseGet(SecretBuilder::randomPassword);
    return SecretBuilder.databaseRoot(stack, password);
  }

  @Override
  protected void addReferenceHandlingMetadata(Secret desired, PiStack primary) {
    super.addReferenceHandlingMetadata(desired, primary);
    DataOwnership.apply(desired, primary);
  }
}
