package io.pistack.operator.dependent;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.ResolvedStack;

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
}
