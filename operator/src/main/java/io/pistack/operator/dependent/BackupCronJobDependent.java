package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;

/** The scheduled backup; turning backups off deletes it (the backups on the volume stay). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class), matcher = ServedFormMatcher.class)
public class BackupCronJobDependent extends CRUDKubernetesDependentResource<CronJob, PiStack> {
  public BackupCronJobDependent() {
    super(CronJob.class);
  }

  @Override
  protected CronJob desired(PiStack primary, Context<PiStack> context) {
    return Projection.one(Pass.of(context), CronJob.class, name(context));
  }

  /** Its name is fixed: turning backups off deletes it by name (it is then no longer desired). */
  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(name(context), primary.getMetadata().getNamespace());
  }

  private static String name(Context<PiStack> context) {
    return Pass.of(context).stack().backup().cronJobName();
  }
}
