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

  /**
   * The same decision, now that the failed restore Job's termination message has been read: the
   * script's exit code tells a refusal (3) from a failure. Unchanged for anything but a failed Job
   * whose outcome was not known yet.
   *
   * @param terminationMessage the restore pod's termination message, or null when there is none
   */
  public RestoreDecision withTerminationMessage(Job job, String terminationMessage, RestoreStatus previous) {
    if (phase != Phase.Failed || terminationMessage == null || outcome.isEmpty() || outcome.get().exitCode().isPresent()
        || job == null || !jobName.equals(job.getMetadata().getName())) {
      return this;
    }
    return failed(request, jobName, previous, JobOutcome.of(job, terminationMessage));
  }

  /**
   * A failed restore Job. With its exit code (from the script's termination message): 3 is a
   * refusal, anything else a failure. Without it, the outcome recorded in status.restore for this
   * Job (read from the message by an earlier reconcile) stands; with neither (the pod and its
   * message are gone) it is a failure whose cause is unknown, and the message says so.
   */
  private static RestoreDecision failed(RestoreRequest request, String name, RestoreStatus previous, JobOutcome o) {
    String what = "backup " + request.backup();
    Optional<Integer> code = o.exitCode();
    if (code.isEmpty() && previous != null && name.equals(previous.jobName)
        && (previous.phase == Phase.Refused || previous.phase == Phase.Failed)) {
      return new RestoreDecision(previous.phase, request, name, true, true, previous.message, Optional.of(o));
    }
    if (code.isPresent() && code.get() == BackupJobBuilder.EXIT_REFUSED) {
      return new RestoreDecision(Phase.Refused, request, name, true, true,
          "refused to restore " + what + ": the database is not empty. Set spec.restore.force: true to"
              + " overwrite it, or remove spec.restore to keep it", Optional.of(o));
    }
    String cause = code.map(c -> "exit code " + c)
        .orElse(o.message() + "; the restore pod's termination message could not be read (was the pod deleted?),"
            + " so the script's exit code and error are unknown");
    return new RestoreDecision(Phase.Failed, request, name, true, true,
        "restore Job " + name + " failed (" + cause + "); delete the Job to retry", Optional.of(o));
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
    Optional<RestoreRequest> wanted = stack.backup().restore();
    return wanted.isEmpty() ? none()
        : decide(stack, wanted.get(), previous, job, databaseReady, workloadsStopped, backupFirst);
  }

  /** @param request the request as resolved (RestoreResolver) */
  public static RestoreDecision decide(ResolvedStack stack, RestoreRequest request, RestoreStatus previous,
      Optional<Job> job, boolean databaseReady, boolean workloadsStopped, Optional<String> backupFirst) {
    String name = JobNames.restore(stack, request);
    String what = "backup " + request.backup();
    if (job.isPresent()) {
      JobOutcome o = JobOutcome.of(job.get());
      return switch (o.state()) {
        case SUCCEEDED -> new RestoreDecision(Phase.Succeeded, request, name, true, false,
            "restored " + what, Optional.of(o));
        case FAILED -> failed(request, name, previous, o);
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
