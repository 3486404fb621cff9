package io.pistack.operator.dependent;

import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The PiBackups of each stack (spec.stack, same namespace), for the PiStack's own reconcile: their backup Jobs are
 * the stack's backups too (status.backup, the last-backup metric), matched by the PiBackup's uid, never by a label
 * ({@link StackJobs}). A PiBackup's change reconciles its stack; the PiBackups themselves are the PiBackup
 * controller's (pibackup/PiBackupReconciler), which alone writes them.
 */
public final class StackBackups {
  public static final String NAME = "stack-backups";

  private StackBackups() {}

  public static InformerEventSource<PiBackup, PiStack> create(EventSourceContext<PiStack> context) {
    var config = InformerEventSourceConfiguration.from(PiBackup.class, PiStack.class)
        .withName(NAME)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(b -> RestoreReaders.of(b, context.getPrimaryCache()))
        .build();
    return new InformerEventSource<>(config, context);
  }

  /** The stack's PiBackups in the cache; empty where the operator runs without the source (no CRD). */
  static java.util.Optional<java.util.List<PiBackup>> all(Context<PiStack> context) {
    try {
      return java.util.Optional.of(java.util.List.copyOf(context.getSecondaryResources(PiBackup.class)));
    } catch (RuntimeException noSuchSource) {
      return java.util.Optional.empty();
    }
  }

  /** The uids of this stack's PiBackups, from the cache (empty where the operator runs without the source). */
  static Set<String> uids(PiStack primary, Context<PiStack> context) {
    try {
      return context.getSecondaryResources(PiBackup.class).stream()
          .filter(b -> b.getSpec() != null && Objects.equals(b.getSpec().stack, primary.getMetadata().getName())
              && Objects.equals(b.getMetadata().getNamespace(), primary.getMetadata().getNamespace()))
          .map(b -> b.getMetadata().getUid()).collect(Collectors.toSet());
    } catch (RuntimeException noSuchSource) {
      return Set.of();
    }
  }
}
