package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.BackupCronJobBuilder;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.ResolvedStack;

/** The scheduled backup; turning backups off deletes it (the backups on the volume stay). */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class), matcher = ServedFormMatcher.class)
public class BackupCronJobDependent extends CRUDKubernetesDependentResource<CronJob, PiStack> {
  public BackupCronJobDependent() {
    super(CronJob.class);
  }

  @Override
  protected CronJob desired(PiStack primary, Context<PiStack> context) {
    return BackupCronJobBuilder.build(Resolved.of(primary, context));
  }
}
