package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.MaintenancePageBuilder;
import io.pistack.operator.model.Ownership;

/**
 * {@code <stack>-maintenance}, the maintenance page's ConfigMap (its nginx configuration and the page), while the
 * reconcile's plan wants the page (MaintenancePageDecision); deleted when it no longer does, only when this PiStack
 * owns it. Shares the ConfigMap informer of {@link BackupScriptsDependent}. The page's Deployment and NetworkPolicy
 * are in the bulk dependents of their kinds, which delete them the same way.
 */
public class MaintenancePageConfigDependent extends CRUDKubernetesDependentResource<ConfigMap, PiStack> {
  public MaintenancePageConfigDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(MaintenancePageBuilder.name(Pass.of(context).stack()), primary.getMetadata().getNamespace());
  }

  @Override
  protected ConfigMap desired(PiStack primary, Context<PiStack> context) {
    Pass pass = Pass.of(context);
    return pass.desired().named(ConfigMap.class, MaintenancePageBuilder.name(pass.stack()))
        .orElseThrow(() -> new IllegalStateException("the maintenance page's ConfigMap is not wanted"));
  }

  @Override
  protected void handleDelete(PiStack primary, ConfigMap secondary, Context<PiStack> context) {
    if (secondary != null && Ownership.ownedBy(secondary, primary)) {
      super.handleDelete(primary, secondary, context);
    }
  }

  /** The plan shows the maintenance page: its objects exist. */
  public static final class Wanted implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return Pass.of(c).plan().page().objects();
    }
  }
}
