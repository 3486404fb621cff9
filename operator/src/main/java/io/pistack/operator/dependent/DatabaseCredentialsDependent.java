package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SecretBuilder;

/**
 * The generated embedded-database credentials ({@link GeneratedSecretDependent}): the application user's name and
 * password. A PiStack re-created with the same name adopts the existing Secret. Its informer, shared with root's and
 * the backup user's Secrets, caches only Secrets the operator labelled, slimmed ({@link SlimCache.Credentials}).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Credentials.class))
public class DatabaseCredentialsDependent extends GeneratedSecretDependent {

  @Override
  String secretName(ResolvedStack stack) {
    return stack.generatedCredentialsSecretName();
  }

  @Override
  Secret generate(ResolvedStack stack, Context<PiStack> context) {
    return SecretBuilder.databaseCredentials(stack, SecretBuilder.randomPassword());
  }
}
