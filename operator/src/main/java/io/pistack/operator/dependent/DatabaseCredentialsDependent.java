package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SecretBuilder;

/**
 * The generated embedded-database credentials: created once (Creator only), never updated, never
 * deleted by the operator. A PiStack re-created with the same name adopts the existing Secret.
 * Only Secrets the operator labelled are cached (label-selected informer).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Credentials.class))
public class DatabaseCredentialsDependent extends KubernetesDependentResource<Secret, PiStack>
    implements Creator<Secret, PiStack> {

  public DatabaseCredentialsDependent() {
    super(Secret.class);
  }

  /** The informer holds the root and backup user Secrets too: this dependent's is the credentials Secret. */
  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(Resolved.of(primary, context).generatedCredentialsSecretName(),
        primary.getMetadata().getNamespace());
  }

  @Override
  protected Secret desired(PiStack primary, Context<PiStack> context) {
    return SecretBuilder.databaseCredentials(Resolved.of(primary, context), SecretBuilder.randomPassword());
  }

  @Override
  protected void addReferenceHandlingMetadata(Secret desired, PiStack primary) {
    super.addReferenceHandlingMetadata(desired, primary);
    DataOwnership.apply(desired, primary);
  }
}
