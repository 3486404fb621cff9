package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.StatefulSetBuilder;

/**
 * The embedded MariaDB. The StatefulSet is owned by the PiStack; its data PVC is created by the
 * StatefulSet controller without an owner, so it survives (retention policy Retain by default).
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR), matcher = ServedFormMatcher.class)
public class DatabaseStatefulSetDependent extends CRUDKubernetesDependentResource<StatefulSet, PiStack> {
  public DatabaseStatefulSetDependent() {
    super(StatefulSet.class);
  }

  @Override
  protected StatefulSet desired(PiStack primary, Context<PiStack> context) {
    return StatefulSetBuilder.mariadb(Resolved.of(primary, context));
  }
}
