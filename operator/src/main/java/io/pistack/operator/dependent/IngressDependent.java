package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.IngressBuilder;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.ResolvedStack;

/** The dashboard's Ingress, while spec.ingress is enabled. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class IngressDependent extends CRUDKubernetesDependentResource<Ingress, PiStack> {
  public IngressDependent() {
    super(Ingress.class);
  }

  @Override
  protected Ingress desired(PiStack primary, Context<PiStack> context) {
    return IngressBuilder.build(Resolved.of(primary, context));
  }
}
