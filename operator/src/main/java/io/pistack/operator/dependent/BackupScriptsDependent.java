package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.BackupConfigMapBuilder;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.ResolvedStack;

/** {@code <stack>-backup-scripts}, while backups are on or a restore is requested. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class BackupScriptsDependent extends CRUDKubernetesDependentResource<ConfigMap, PiStack> {
  public BackupScriptsDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(PiStack primary, Context<PiStack> context) {
    return BackupConfigMapBuilder.scripts(Resolved.of(primary, context));
  }
}
