package io.pistack.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.RestoreResolver;
import java.util.List;
import java.util.Optional;

/**
 * What a restore may read of the cluster, from the operator's caches only (no request per reconcile): the PiStacks it
 * reconciles (a clone's source, in any namespace it watches) and the PiBackups of those namespaces (StackBackups).
 */
public final class RestoreLookup {
  private RestoreLookup() {}

  public static RestoreResolver.Lookup of(Context<PiStack> context) {
    return new RestoreResolver.Lookup() {
      @Override
      public Optional<PiStack> stack(String namespace, String name) {
        return context.getPrimaryCache().get(new ResourceID(name, namespace));
      }

      @Override
      @SuppressWarnings("unchecked")
      public List<PiBackup> backups(String namespace) {
        try {
          var source = (InformerEventSource<PiBackup, PiStack>) context.eventSourceRetriever()
              .getEventSourceFor(PiBackup.class, StackBackups.NAME);
          return source.list(namespace, b -> true).toList();
        } catch (RuntimeException noSuchSource) {
          return List.of();
        }
      }
    };
  }
}
