package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;

/**
 * The dashboard's HTTPRoute, while spec.httpRoute is enabled. Active (its informer registered) only when the Gateway
 * API is served by the cluster ({@link GatewayApi}); otherwise the spec gate refuses a stack that asks for a route.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class HttpRouteDependent extends CRUDKubernetesDependentResource<HTTPRoute, PiStack> {
  public HttpRouteDependent() {
    super(HTTPRoute.class);
  }

  @Override
  protected HTTPRoute desired(PiStack primary, Context<PiStack> context) {
    return Projection.one(Pass.of(context), HTTPRoute.class, Pass.of(context).stack().name());
  }

  /** Its name is fixed: turning the route off deletes it by name (it is then no longer desired). */
  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(Pass.of(context).stack().name(), primary.getMetadata().getNamespace());
  }
}
