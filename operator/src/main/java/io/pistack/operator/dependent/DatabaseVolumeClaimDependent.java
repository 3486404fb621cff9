package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.javaoperatorsdk.operator.processing.dependent.Updater;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.StatefulSetBuilder;
import java.util.Optional;

/**
 * Grows the database's claim {@code data-<stack>-db-0} in place when
 * {@code database.embedded.storageSize} grows. The StatefulSet controller creates the claim (its
 * template stays as the live StatefulSet has it: the API server refuses to change it), so this
 * dependent never creates, deletes or owns it; it writes only when the claim is smaller than the
 * spec asks, and only the claim's storage request. Shrinking is refused at admission (VolumeRules);
 * a refused resize (a storage class without allowVolumeExpansion, an unbound claim) is reported as
 * the stack's ReconcileFailed condition naming the claim. It shares the shared volume's PVC informer.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class DatabaseVolumeClaimDependent extends KubernetesDependentResource<PersistentVolumeClaim, PiStack>
    implements Updater<PersistentVolumeClaim, PiStack> {

  public DatabaseVolumeClaimDependent() {
    super(PersistentVolumeClaim.class);
  }

  @Override
  protected PersistentVolumeClaim desired(PiStack primary, Context<PiStack> context) {
    return Pass.of(context).desired().databaseClaim()
        .orElseThrow(() -> new IllegalStateException("no embedded database, no data claim"));
  }

  /** The claim's name is fixed; computing it must not call desired(). */
  @Override
  protected ResourceID targetSecondaryResourceID(PiStack primary, Context<PiStack> context) {
    return new ResourceID(StatefulSetBuilder.dataClaimName(Pass.of(context).stack()),
        primary.getMetadata().getNamespace());
  }

  /**
   * The claim from the PVC informer's cache by name: the StatefulSet controller made it, so it
   * carries neither an owner reference nor JOSDK's primary annotations, which is how JOSDK would
   * otherwise tie a secondary to its PiStack.
   */
  @Override
  public Optional<PersistentVolumeClaim> getSecondaryResource(PiStack primary, Context<PiStack> context) {
    var source = context.eventSourceRetriever()
        .getEventSourceFor(PersistentVolumeClaim.class, SharedVolumeClaimDependent.EVENT_SOURCE);
    return ((io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource<PersistentVolumeClaim,
        PiStack>) source).get(targetSecondaryResourceID(primary, context));
  }

  /** Matches unless the spec asks for more than the claim requests: the only write is a grow. */
  @Override
  public Matcher.Result<PersistentVolumeClaim> match(PersistentVolumeClaim actual, PersistentVolumeClaim desired,
      PiStack primary, Context<PiStack> context) {
    return Matcher.Result.computed(!grows(actual, desired), desired);
  }

  static boolean grows(PersistentVolumeClaim actual, PersistentVolumeClaim desired) {
    Quantity want = desired.getSpec().getResources().getRequests().get("storage");
    Quantity have = actual.getSpec() == null || actual.getSpec().getResources() == null
        || actual.getSpec().getResources().getRequests() == null
        ? null : actual.getSpec().getResources().getRequests().get("storage");
    return have != null && Quantity.getAmountInBytes(want).compareTo(Quantity.getAmountInBytes(have)) > 0;
  }

  /** No owner reference: the StatefulSet's retention policy decides the claim's fate. */
  @Override
  protected void addReferenceHandlingMetadata(PersistentVolumeClaim desired, PiStack primary) {
  }
}
