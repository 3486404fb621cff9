package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;

/** The dashboard's Ingress, while spec.ingress is enabled. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class IngressDependent extends CRUDKubernetesDependentResource<Ingress, PiStack> {
  public IngressDependent() {
    super(Ingress.class);
  }

  @Override
  protected Ingress desired(PiStack primary, Context<PiStack> context) {
    return Projection.one(Pass.of(context), Ingress.class, Pass.of(context).stack().name());
  }

  /** Its name is fixed: turning the Ingress off deletes it by name (it is then no longer desired). */
  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(Pass.of(context).stack().name(), primary.getMetadata().getNamespace());
  }
}
