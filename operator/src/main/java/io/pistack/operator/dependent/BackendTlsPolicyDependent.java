package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;

/**
 * The dashboard's BackendTLSPolicy, while the stack has an HTTPRoute to a dashboard that serves HTTPS
 * ({@link io.pistack.operator.model.BackendTlsPolicyBuilder#wanted}). Active (its informer registered) only when the
 * cluster serves BackendTLSPolicies ({@link GatewayApi.BackendTls}); otherwise the route's warning says so.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR))
public class BackendTlsPolicyDependent extends CRUDKubernetesDependentResource<BackendTLSPolicy, PiStack> {
  public BackendTlsPolicyDependent() {
    super(BackendTLSPolicy.class);
  }

  @Override
  protected BackendTLSPolicy desired(PiStack primary, Context<PiStack> context) {
    return Projection.one(Pass.of(context), BackendTLSPolicy.class, Pass.of(context).stack().name());
  }

  /** Its name is fixed: turning the route or the HTTPS off deletes it by name (it is then no longer desired). */
  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(Pass.of(context).stack().name(), primary.getMetadata().getNamespace());
  }
}
