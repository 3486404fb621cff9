package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.CRUDKubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import java.util.Map;

/** The Services of each enabled component (its internal one too), plus the embedded database's Service. */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class ServicesDependent extends KubernetesDependentResource<Service, PiStack>
    implements CRUDKubernetesBulkDependentResource<Service, PiStack>,
    KubernetesBulkDependentResource<Service, PiStack>, GarbageCollected<PiStack> {

  public ServicesDependent() {
    super(Service.class);
  }

  @Override
  public Map<ResourceID, Service> desiredResources(PiStack primary, Context<PiStack> context) {
    return Projection.byId(Pass.of(context).desired().all(Service.class));
  }
}
