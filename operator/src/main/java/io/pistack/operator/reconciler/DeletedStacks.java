package io.pistack.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import io.javaoperatorsdk.operator.processing.event.source.ResourceEventAware;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Tells the reconciler's per-stack memory (ErrorBackoff, CreationProgress) that a PiStack is gone.
 * The reconciler has no Cleaner on purpose (a Cleaner means a finalizer on every PiStack, a write to
 * the user's metadata); JOSDK hands the primary informer's delete events to every event source that
 * is {@link ResourceEventAware}, and this one only passes them on. It has no secondary resources and
 * triggers no reconcile.
 */
final class DeletedStacks extends AbstractEventSource<Void, PiStack> implements ResourceEventAware<PiStack> {
  static final String NAME = "deleted-stacks";
  private final Consumer<ResourceID> forget;

  DeletedStacks(Consumer<ResourceID> forget) {
    super(Void.class, NAME);
    this.forget = forget;
  }

  @Override
  public void onResourceDeleted(PiStack stack) {
    forget.accept(ResourceID.fromResource(stack));
  }

  @Override
  public Set<Void> getSecondaryResources(PiStack primary) {
    return Set.of();
  }
}
