package io.pistack.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
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
 *
 * <p>JOSDK (5.2.3, {@code EventProcessor.handleMarkedEventForResource}) handles a delete event at once, also while a
 * reconcile of that stack is running, and that reconcile then records the stack's metric series and memory again
 * after they were forgotten: a deleted stack's {@code pi_operator_component_healthy} series stayed at 0 until the
 * next restart. So the reconciler asks {@link #ifGone} after each reconcile: a stack no longer in the informer's
 * cache (which drops it before the delete event is handed on) is forgotten once more.
 */
final class DeletedStacks extends AbstractEventSource<Void, PiStack> implements ResourceEventAware<PiStack> {
  static final String NAME = "deleted-stacks";
  private final Consumer<ResourceID> forget;

  DeletedStacks(Consumer<ResourceID> forget) {
    super(Void.class, NAME);
    this.forget = forget;
  }

  /** After a reconcile (or its error handling): forgets the stack again if it was deleted meanwhile; its result. */
  <T> T ifGone(PiStack stack, Context<PiStack> context, T result) {
    ResourceID id = ResourceID.fromResource(stack);
    if (context.getPrimaryCache().get(id).isEmpty()) {
      forget.accept(id);
    }
    return result;
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
