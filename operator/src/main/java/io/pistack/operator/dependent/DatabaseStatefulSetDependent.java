package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;

/**
 * The embedded MariaDB. The StatefulSet is owned by the PiStack; its data PVC is created by the
 * StatefulSet controller without an owner, so it survives (retention policy Retain by default).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class), matcher = ServedFormMatcher.class)
public class DatabaseStatefulSetDependent extends CRUDKubernetesDependentResource<StatefulSet, PiStack> {
  public DatabaseStatefulSetDependent() {
    super(StatefulSet.class);
  }

  /** The StatefulSet's name is fixed; computing it must not call desired(), which reads the live one. */
  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(Pass.of(context).stack().databaseName(), primary.getMetadata().getNamespace());
  }

  @Override
  protected StatefulSet desired(PiStack primary, Context<PiStack> context) {
    Pass pass = Pass.of(context);
    return Projection.one(pass, StatefulSet.class, pass.stack().databaseName());
  }
}
