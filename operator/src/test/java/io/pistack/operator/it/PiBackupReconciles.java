package io.pistack.operator.it;

import io.micrometer.core.instrument.Counter;
import io.pistack.operator.runtime.OperatorRuntime;

/**
 * Reconciles of PiBackups a running operator completed (JOSDK's success counter, tagged with the controller): what a
 * test asserting that a restarted operator did nothing to a PiBackup waits for first. The per-stack ReconcileLog
 * does not see them (JosdkMetrics passes only the PiStack controller's reconciles on).
 */
public final class PiBackupReconciles {
  private PiBackupReconciles() {}

  public static double completed(OperatorRuntime runtime) {
    return runtime == null ? 0 : runtime.metrics().registry().getMeters().stream()
        .filter(m -> m.getId().getName().contains("reconciliations.success"))
        .filter(m -> m.getId().getTags().stream().anyMatch(t -> t.getValue().equals("pibackup")
            || t.getValue().equals("PiBackup")))
        .filter(Counter.class::isInstance).mapToDouble(m -> ((Counter) m).count()).sum();
  }
}
