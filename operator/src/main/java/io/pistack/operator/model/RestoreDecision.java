package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.api.v1alpha1.RestoreStatus.Phase;
import io.pistack.operator.model.BackupSettings.RestoreRequest;
import java.util.Optional;

/**
 * What spec.restore needs now. A restore request (backup, force) runs once per PiStack: its Job
 * name is derived from the request, and status.restore remembers that it succeeded, so neither a
 * later reconcile nor a deleted Job starts it again. Until it has succeeded the dashboard and the
 * scheduler are kept at zero replicas. The Job starts only when the database is ready and both are
 * stopped (a restore drops the schema, which would wait on their locks).
 *
 * @param phase null when there is no spec.restore
 * @param jobWanted the restore Job should exist: created now, or kept as the record of the outcome
 * @param stopWorkloads keep the dashboard and the scheduler at zero replicas
 */
public record RestoreDecision(Phase phase, RestoreRequest request, String jobName, boolean jobWanted,
    boolean stopWorkloads, String message, Optional<JobOutcome> outcome) {

  public static RestoreDecision none() {
    return new RestoreDecision(null, null, null, false, false, null, Optional.empty());
  }

  public static RestoreDecision decide(ResolvedStack stack, RestoreStatus previous, Optional<Job> job,
      boolean databaseReady, boolean workloadsStopped) {
    return decide(stack, previous, job, databaseReady, workloadsStopped, Optional.empty());
  }

  /**
   * @param backupFirst a pre-upgrade backup Job that has to finish first (a roll-back that restores
   *     an older backup keeps a copy of the data it replaces)
   */
  public static RestoreDecision decide(ResolvedStack stack, RestoreStatus previous, Optional<Job> job,
      boolean databaseReady, boolean workloadsStopped, Optional<String> backupFirst) {
    Optional<RestoreRequest> wanted = BackupSettings.of(stack).restore();
    if (wanted.isEmpty()) {
      return none();
    }
    RestoreRequest request = wanted.get();
    String name = JobNames.restore(stack, request);
    String what = "backup " + request.backup();
    if (job.isPresent()) {
      JobOutcome o = JobOutcome.of(job.get());
      return switch (o.state()) {
        case SUCCEEDED -> new RestoreDecision(Phase.Succeeded, request, name, true, false,
            "restored " + what, Optional.of(o));
        case FAILED -> o.exitCode().filter(c -> c == BackupJobBuilder.EXIT_REFUSED).isPresent()
            ? new RestoreDecision(Phase.Refused, request, name, true, true,
                "refused to restore " + what + ": the database is not empty. Set spec.restore.force: true to"
                    + " overwrite it, or remove spec.restore to keep it", Optional.of(o))
            : new RestoreDecision(Phase.Failed, request, name, true, true,
                "restore Job " + name + " failed (" + o.message() + "); delete the Job to retry", Optional.of(o));
        case ACTIVE -> new RestoreDecision(Phase.Running, request, name, true, true,
            "restoring " + what + " (Job " + name + ")", Optional.of(o));
      };
    }
    if (previous != null && previous.phase == Phase.Succeeded && name.equals(previous.jobName)) {
      // Done earlier; the Job is gone. Never run the same request twice.
      return new RestoreDecision(Phase.Succeeded, request, name, false, false, previous.message, Optional.empty());
    }
    if (!databaseReady) {
      return new RestoreDecision(Phase.Pending, request, name, false, true,
          "waiting for the database before restoring " + what, Optional.empty());
    }
    if (backupFirst.isPresent()) {
      return new RestoreDecision(Phase.Pending, request, name, false, true,
          "waiting for the pre-upgrade backup Job " + backupFirst.get() + " before restoring " + what,
          Optional.empty());
    }
    if (!workloadsStopped) {
      return new RestoreDecision(Phase.Pending, request, name, false, true,
          "waiting for the dashboard and scheduler to stop before restoring " + what, Optional.empty());
    }
    return new RestoreDecision(Phase.Running, request, name, true, true,
        "restoring " + what + " (Job " + name + ")", Optional.empty());
  }
}
