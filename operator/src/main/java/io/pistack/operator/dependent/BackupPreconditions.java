package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.BackupSettings;

/** Reconcile preconditions of the backup dependents. */
public final class BackupPreconditions {
  private BackupPreconditions() {}

  private static BackupSettings settings(PiStack p, Context<PiStack> c) {
    return Pass.of(c).stack().backup();
  }

  /** The CronJob exists only while spec.backup.enabled. */
  public static final class BackupsEnabled implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return settings(p, c).enabled();
    }
  }

  /** The operator creates the backup claim unless an existing one is named. */
  public static final class CreatesClaim implements Condition<HasMetadata, PiStack> {
    @Override
    public boolean isMet(DependentResource<HasMetadata, PiStack> d, PiStack p, Context<PiStack> c) {
      return settings(p, c).createsClaim();
    }
  }
}
