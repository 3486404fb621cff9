package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.desired.GeneratedSecret;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SecretBuilder;

/**
 * A Secret the operator generates for the embedded database (the credentials, root's password, the backup user's):
 * created once (Creator only), never updated, never deleted by the operator, and owned like the data it unlocks
 * ({@link DataOwnership}: it survives the PiStack unless storage.deleteWithStack). The three share one informer
 * (the operator's labelled Secrets, {@link DatabaseCredentialsDependent}'s); each picks its own by name.
 */
abstract class GeneratedSecretDependent extends KubernetesDependentResource<Secret, PiStack>
    implements Creator<Secret, PiStack> {

  GeneratedSecretDependent() {
    super(Secret.class);
  }

  /** Its name, for this stack. */
  abstract String secretName(ResolvedStack stack);

  /** The value to create it with: a new password (or one it must keep). */
  String value(ResolvedStack stack, Context<PiStack> context) {
    return SecretBuilder.randomPassword();
  }

  @Override
  protected final ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(secretName(Pass.of(context).stack()), primary.getMetadata().getNamespace());
  }

  @Override
  protected final Secret desired(PiStack primary, Context<PiStack> context) {
    Pass pass = Pass.of(context);
    String name = secretName(pass.stack());
    GeneratedSecret shape = pass.desired().generated(name)
        .orElseThrow(() -> new IllegalStateException("Secret " + name + " is not in the desired stack"));
    return shape.withValue().apply(value(pass.stack(), context));
  }

  @Override
  protected final void addReferenceHandlingMetadata(Secret desired, PiStack primary) {
    super.addReferenceHandlingMetadata(desired, primary);
    DataOwnership.apply(desired, primary);
  }
}
