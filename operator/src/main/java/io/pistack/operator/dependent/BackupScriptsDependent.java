package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.Ownership;

/**
 * {@code <stack>-backup-scripts}, the ConfigMap earlier versions mounted into the backup pods: it is no longer
 * created (the pods carry their scripts, see BackupScripts), and the one a stack still has is deleted, only when
 * this PiStack owns it (uid). A ConfigMap of that name the operator did not create is never touched, and nothing
 * mounts it. The precondition is never met: JOSDK deletes the object when present, and does nothing (no request)
 * when it is absent.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class BackupScriptsDependent extends CRUDKubernetesDependentResource<ConfigMap, PiStack> {
  public BackupScriptsDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(legacyName(primary, context), primary.getMetadata().getNamespace());
  }

  @Override
  protected ConfigMap desired(PiStack primary, Context<PiStack> context) {
    throw new IllegalStateException("the backup scripts ConfigMap is no longer created");
  }

  @Override
  protected void handleDelete(PiStack primary, ConfigMap secondary, Context<PiStack> context) {
    if (secondary != null && Ownership.ownedBy(secondary, primary)) {
      super.handleDelete(primary, secondary, context);
    }
  }

  private static String legacyName(PiStack primary, Context<PiStack> context) {
    return Pass.of(context).stack().backup().scriptsConfigMapName();
  }

  /** Never: the legacy ConfigMap is only ever deleted. */
  public static final class Retired implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return false;
    }
  }
}
