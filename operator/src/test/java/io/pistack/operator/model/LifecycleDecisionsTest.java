package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.model.BackupSettings.RestoreRequest;
import io.pistack.operator.model.UpgradeDecision.Phase;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LifecycleDecisionsTest {
  static final String OLD = "2025_10.1";
  static final String NEW = "2026_01.0";
  static final String AT = "2026-01-15T10:00:00Z";

  static ResolvedStack stack(String version, boolean backups, String restore) {
    return TestStacks.resolved("  version: \"" + version + "\"\n"
        + (backups ? "  backup:\n    enabled: true\n" : "")
        + (restore == null ? "" : "  restore:\n" + restore));
  }

  // ---- the database, ready for a backup or a restore ----------------------------------------

  static StatefulSet database(long generation, Long observed, int ready, String current, String update) {
    return new StatefulSetBuilder().withNewMetadata().withName("pi-db").withGeneration(generation).endMetadata()
        .withNewStatus().withObservedGeneration(observed).withReadyReplicas(ready).withReplicas(1)
        .withCurrentRevision(current).withUpdateRevision(update).endStatus().build();
  }

  @Test
  void theDatabaseIsReadyForABackupOnlyOnceItsPodRunsTheLatestTemplate() {
    ResolvedStack s = stack(NEW, true, null);
    assertThat(LifecyclePlan.databaseReady(s, Optional.of(database(2, 2L, 1, "pi-db-a", "pi-db-a")))).isTrue();
    // An operator upgrade changed the template (e.g. the backup user): the old pod is still ready, but not enough.
    assertThat(LifecyclePlan.databaseReady(s, Optional.of(database(3, 2L, 1, "pi-db-a", "pi-db-a"))))
        .as("the controller has not seen the new template yet").isFalse();
    assertThat(LifecyclePlan.databaseReady(s, Optional.of(database(3, 3L, 1, "pi-db-a", "pi-db-b"))))
        .as("the pod still runs the old revision").isFalse();
    assertThat(LifecyclePlan.databaseReady(s, Optional.of(database(3, 3L, 0, "pi-db-b", "pi-db-b"))))
        .as("the new pod is not ready yet").isFalse();
    assertThat(LifecyclePlan.databaseReady(s, Optional.of(database(3, 3L, 1, "pi-db-b", "pi-db-b")))).isTrue();
    // A status that does not name revisions (an older or a fake controller) is judged by readiness alone.
    assertThat(LifecyclePlan.databaseReady(s, Optional.of(database(3, null, 1, null, null)))).isTrue();
    assertThat(LifecyclePlan.databaseReady(s, Optional.empty())).isFalse();
  }

  // ---- job names and outcomes ---------------------------------------------------------------

  @Test
  void jobNamesAreDeterministicShortAndDistinct() {
    ResolvedStack s = stack(NEW, true, null);
    assertThat(JobNames.preUpgrade(s, NEW)).isEqualTo(JobNames.preUpgrade(s, NEW)).startsWith("pi-pre-upgrade-2026-01-0-");
    // Sanitising maps both to 2025-10-1; the hash keeps them apart.
    assertThat(JobNames.preUpgrade(s, "2025_10.1")).isNotEqualTo(JobNames.preUpgrade(s, "2025.10.1"));
    assertThat(JobNames.restore(s, new RestoreRequest("latest", false)))
        .isNotEqualTo(JobNames.restore(s, new RestoreRequest("latest", true)))
        .matches("pi-restore-[0-9a-f]{8}");
    ResolvedStack longName = new ResolvedStack(TestStacks.of("  version: \"1\"\n"));
    longName.source().getMetadata().setName("a-very-long-stack-name-that-goes-on-and-on-and-on-x");
    String n = JobNames.preUpgrade(longName, "2025_10.1-hotfix-with-a-long-suffix");
    assertThat(n).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    assertThat(JobNames.restore(longName, new RestoreRequest("x", false))).hasSizeLessThanOrEqualTo(63);
  }

  @Test
  void jobOutcomesComeFromTheJobControllersConditions() {
    Job job = BackupJobBuilder.restore(stack(OLD, false, "    backup: latest\n"), new RestoreRequest("latest", false));
    assertThat(JobOutcome.of(job).state()).isEqualTo(JobOutcome.State.ACTIVE);
    assertThat(JobOutcome.of(Jobs.active(job)).finished()).isFalse();
    JobOutcome ok = JobOutcome.of(Jobs.succeeded(job, AT));
    assertThat(ok.succeeded()).isTrue();
    assertThat(ok.finishedAt()).isEqualTo(AT);
    JobOutcome refused = JobOutcome.of(Jobs.refused(job, AT), REFUSED_MESSAGE);
    assertThat(refused.failed()).isTrue();
    assertThat(refused.exitCode()).contains(3);
    assertThat(refused.finishedAt()).isEqualTo(AT);
    JobOutcome backoff = JobOutcome.of(Jobs.failed(job, AT, "BackoffLimitExceeded", "Job has reached the specified backoff limit"));
    assertThat(backoff.exitCode()).isEmpty();
    assertThat(backoff.message()).isEqualTo("BackoffLimitExceeded: Job has reached the specified backoff limit");
  }

  static final String REFUSED_MESSAGE =
      "{\"error\":\"database dashboard is not empty (57 tables); set force to overwrite\",\"exitCode\":3}";

  @Test
  void theExitCodeIsTheScriptsOwnNotTheJobControllersProse() {
    Job job = BackupJobBuilder.restore(stack(OLD, false, "    backup: latest\n"), new RestoreRequest("latest", false));
    // The Job controller's sentence names exit code 3, but without the script's message it is unknown.
    assertThat(JobOutcome.of(Jobs.refused(job, AT)).exitCode()).isEmpty();
    assertThat(JobOutcome.of(Jobs.refused(job, AT), null).exitCode()).isEmpty();
    // The script's JSON decides, whatever the prose says.
    Job prose = Jobs.failed(job, AT, "PodFailurePolicy", "... failed with exit code 3 matching FailJob rule at index 0");
    assertThat(JobOutcome.of(prose, "{\"error\":\"bad input\",\"exitCode\":2}").exitCode()).contains(2);
    assertThat(JobOutcome.of(prose, "not json").exitCode()).isEmpty();
    assertThat(JobOutcome.of(prose, "{\"error\":\"x\"}").exitCode()).isEmpty();
    assertThat(JobOutcome.of(prose, "{\"error\":\"x\",\"exitCode\":\"3\"}").exitCode()).isEmpty();
    assertThat(JobOutcome.of(prose, "{\"error\":").exitCode()).isEmpty();
    // A success has no failure exit code; an active Job neither.
    assertThat(JobOutcome.of(Jobs.succeeded(job, AT), "{\"name\":\"n\",\"exitCode\":0}").exitCode()).isEmpty();
    assertThat(JobOutcome.of(Jobs.active(job), REFUSED_MESSAGE).exitCode()).isEmpty();
  }

  // ---- upgrade ------------------------------------------------------------------------------

  @Test
  void noGateForANewStackAnUnchangedVersionOrWithoutBackups() {
    assertThat(UpgradeDecision.decide(stack(NEW, true, null), Optional.empty(), true, Optional.empty()).phase())
        .isEqualTo(Phase.NONE);
    assertThat(UpgradeDecision.decide(stack(NEW, true, null), Optional.of(NEW), true, Optional.empty()).phase())
        .isEqualTo(Phase.NONE);
    UpgradeDecision off = UpgradeDecision.decide(stack(NEW, false, null), Optional.of(OLD), true, Optional.empty());
    assertThat(off.phase()).isEqualTo(Phase.NONE);
    assertThat(off.deploymentVersion()).isEqualTo(NEW);
    assertThat(off.jobWanted()).isFalse();
  }

  @Test
  void aVersionChangeWaitsForItsBackupAndRollsWhenItSucceeded() {
    ResolvedStack s = stack(NEW, true, null);
    UpgradeDecision waitDb = UpgradeDecision.decide(s, Optional.of(OLD), false, Optional.empty());
    assertThat(waitDb.phase()).isEqualTo(Phase.WAITING_FOR_DATABASE);
    assertThat(waitDb.jobWanted()).isFalse();
    assertThat(waitDb.deploymentVersion()).isEqualTo(OLD);

    UpgradeDecision start = UpgradeDecision.decide(s, Optional.of(OLD), true, Optional.empty());
    assertThat(start.phase()).isEqualTo(Phase.BACKING_UP);
    assertThat(start.jobWanted()).isTrue();
    assertThat(start.deploymentVersion()).isEqualTo(OLD);
    assertThat(start.jobName()).isEqualTo(JobNames.preUpgrade(s, NEW));

    Job job = BackupJobBuilder.preUpgrade(s, OLD, NEW);
    assertThat(UpgradeDecision.decide(s, Optional.of(OLD), true, Optional.of(Jobs.active(job))).deploymentVersion())
        .isEqualTo(OLD);
    UpgradeDecision done = UpgradeDecision.decide(s, Optional.of(OLD), true, Optional.of(Jobs.succeeded(job, AT)));
    assertThat(done.phase()).isEqualTo(Phase.SUCCEEDED);
    assertThat(done.deploymentVersion()).isEqualTo(NEW);
    assertThat(done.jobWanted()).isTrue();   // kept until the Deployments run NEW
    assertThat(UpgradeDecision.decide(s, Optional.of(NEW), true, Optional.of(Jobs.succeeded(job, AT))).jobWanted())
        .isFalse();
  }

  @Test
  void aFailedBackupHoldsTheRunningVersionAndKeepsTheFailedJob() {
    ResolvedStack s = stack(NEW, true, null);
    Job job = Jobs.failed(BackupJobBuilder.preUpgrade(s, OLD, NEW), AT, "BackoffLimitExceeded", "limit");
    UpgradeDecision d = UpgradeDecision.decide(s, Optional.of(OLD), true, Optional.of(job));
    assertThat(d.phase()).isEqualTo(Phase.FAILED);
    assertThat(d.holds()).isTrue();
    assertThat(d.deploymentVersion()).isEqualTo(OLD);
    assertThat(d.jobWanted()).isTrue();
  }

  // ---- restore ------------------------------------------------------------------------------

  @Test
  void aRestoreWaitsForTheDatabaseThenForTheWorkloadsToStopThenRuns() {
    ResolvedStack s = stack(OLD, false, "    backup: latest\n");
    RestoreDecision db = RestoreDecision.decide(s, null, Optional.empty(), false, true);
    assertThat(db.phase()).isEqualTo(RestoreStatus.Phase.Pending);
    assertThat(db.stopWorkloads()).isTrue();
    assertThat(db.jobWanted()).isFalse();
    RestoreDecision stopping = RestoreDecision.decide(s, null, Optional.empty(), true, false);
    assertThat(stopping.phase()).isEqualTo(RestoreStatus.Phase.Pending);
    assertThat(stopping.message()).contains("stop");
    RestoreDecision go = RestoreDecision.decide(s, null, Optional.empty(), true, true);
    assertThat(go.phase()).isEqualTo(RestoreStatus.Phase.Running);
    assertThat(go.jobWanted()).isTrue();
    assertThat(go.stopWorkloads()).isTrue();
  }

  @Test
  void aRestoreEndsSucceededRefusedOrFailedAndRunsOnlyOnce() {
    ResolvedStack s = stack(OLD, false, "    backup: latest\n");
    RestoreRequest r = new RestoreRequest("latest", false);
    Job job = BackupJobBuilder.restore(s, r);
    RestoreDecision ok = RestoreDecision.decide(s, null, Optional.of(Jobs.succeeded(job, AT)), true, true);
    assertThat(ok.phase()).isEqualTo(RestoreStatus.Phase.Succeeded);
    assertThat(ok.stopWorkloads()).isFalse();
    assertThat(ok.jobWanted()).isTrue();

    // Before its pod's message is read a failed Job is a failure of unknown cause; the script's
    // exit code 3 then makes it a refusal.
    Job refusedJob = Jobs.refused(job, AT);
    RestoreDecision unread = RestoreDecision.decide(s, null, Optional.of(refusedJob), true, true);
    assertThat(unread.phase()).isEqualTo(RestoreStatus.Phase.Failed);
    assertThat(unread.stopWorkloads()).isTrue();
    assertThat(unread.message()).contains("termination message could not be read").contains("unknown")
        .contains("delete the Job to retry");
    RestoreDecision refused = unread.withTerminationMessage(refusedJob, REFUSED_MESSAGE, null);
    assertThat(refused.phase()).isEqualTo(RestoreStatus.Phase.Refused);
    assertThat(refused.stopWorkloads()).isTrue();
    assertThat(refused.jobWanted()).isTrue();
    assertThat(refused.message()).contains("force");
    assertThat(unread.withTerminationMessage(refusedJob, null, null)).isEqualTo(unread);
    RestoreDecision badInput = unread.withTerminationMessage(refusedJob, "{\"error\":\"not found\",\"exitCode\":2}", null);
    assertThat(badInput.phase()).isEqualTo(RestoreStatus.Phase.Failed);
    assertThat(badInput.message()).contains("exit code 2").doesNotContain("unknown");
    // Recorded once from the message, the outcome stands in later reconciles that do not read it.
    RestoreStatus recorded = new RestoreStatus();
    recorded.phase = RestoreStatus.Phase.Refused;
    recorded.jobName = job.getMetadata().getName();
    recorded.message = "refused to restore backup latest: ...";
    RestoreDecision kept = RestoreDecision.decide(s, recorded, Optional.of(refusedJob), true, true);
    assertThat(kept.phase()).isEqualTo(RestoreStatus.Phase.Refused);
    assertThat(kept.message()).isEqualTo(recorded.message);
    assertThat(kept.stopWorkloads()).isTrue();
    // ...but only for the same Job.
    recorded.jobName = "pi-restore-other";
    assertThat(RestoreDecision.decide(s, recorded, Optional.of(refusedJob), true, true).phase())
        .isEqualTo(RestoreStatus.Phase.Failed);
    // A message never turns a success or a running Job into anything else.
    assertThat(ok.withTerminationMessage(Jobs.succeeded(job, AT), REFUSED_MESSAGE, null)).isEqualTo(ok);

    RestoreDecision failed = RestoreDecision.decide(s, null,
        Optional.of(Jobs.failed(job, AT, "BackoffLimitExceeded", "limit")), true, true);
    assertThat(failed.phase()).isEqualTo(RestoreStatus.Phase.Failed);
    assertThat(failed.stopWorkloads()).isTrue();

    // The Job is gone but the status remembers: no second run, no gate.
    RestoreStatus remembered = new RestoreStatus();
    remembered.phase = RestoreStatus.Phase.Succeeded;
    remembered.jobName = job.getMetadata().getName();
    remembered.message = "restored backup latest";
    RestoreDecision later = RestoreDecision.decide(s, remembered, Optional.empty(), true, false);
    assertThat(later.phase()).isEqualTo(RestoreStatus.Phase.Succeeded);
    assertThat(later.jobWanted()).isFalse();
    assertThat(later.stopWorkloads()).isFalse();

    // A different request (force) is a new restore.
    ResolvedStack forced = stack(OLD, false, "    backup: latest\n    force: true\n");
    RestoreDecision again = RestoreDecision.decide(forced, remembered, Optional.empty(), true, true);
    assertThat(again.phase()).isEqualTo(RestoreStatus.Phase.Running);
    assertThat(again.jobName()).isNotEqualTo(remembered.jobName);
    assertThat(RestoreDecision.decide(stack(OLD, false, null), remembered, Optional.empty(), true, true).phase())
        .isNull();
  }

  // ---- the plan -----------------------------------------------------------------------------

  @Test
  void theRunningVersionIsTheDashboards() {
    assertThat(LifecyclePlan.runningVersion(List.of())).isEmpty();
    assertThat(LifecyclePlan.runningVersion(List.of(Jobs.deployment("renderer", NEW, 1, 1),
        Jobs.deployment("dashboard", OLD, 3, 3)))).contains(OLD);
    assertThat(LifecyclePlan.runningVersion(List.of(Jobs.deployment("renderer", NEW, 1, 1)))).contains(NEW);
  }

  @Test
  void thePlanHoldsTheVersionAndStopsOnlyDashboardAndScheduler() {
    ResolvedStack s = stack(NEW, true, "    backup: latest\n");
    List<Deployment> running = List.of(Jobs.deployment("dashboard", OLD, 3, 3), Jobs.deployment("scheduler", OLD, 1, 1));
    LifecyclePlan plan = LifecyclePlan.decide(s, running, List.of(), Optional.of(Jobs.database(1)));
    assertThat(plan.deploymentStack(s).version()).isEqualTo(OLD);
    assertThat(plan.deploymentStack(s).images().of(Component.DASHBOARD)).endsWith(":" + OLD);
    assertThat(plan.stopped(Component.DASHBOARD)).isTrue();
    assertThat(plan.stopped(Component.SCHEDULER)).isTrue();
    assertThat(plan.stopped(Component.RENDERER)).isFalse();
    // The restore waits for the stopped pods to go, and for the pre-upgrade backup, which starts.
    assertThat(plan.restore().jobWanted()).isFalse();
    assertThat(plan.desiredJobs(s)).extracting(j -> j.getMetadata().getName())
        .containsExactly(JobNames.preUpgrade(s, NEW));

    List<Deployment> stopped = List.of(Jobs.deployment("dashboard", OLD, 0, 0), Jobs.deployment("scheduler", OLD, 0, null));
    Job backingUp = Jobs.active(BackupJobBuilder.preUpgrade(s, OLD, NEW));
    LifecyclePlan next = LifecyclePlan.decide(s, stopped, List.of(backingUp), Optional.of(Jobs.database(1)));
    assertThat(next.restore().message()).contains("pre-upgrade backup");
    assertThat(next.desiredJobs(s)).extracting(j -> j.getMetadata().getName())
        .containsExactly(JobNames.preUpgrade(s, NEW));
    Job backedUp = Jobs.succeeded(BackupJobBuilder.preUpgrade(s, OLD, NEW), AT);
    LifecyclePlan after = LifecyclePlan.decide(s, stopped, List.of(backedUp), Optional.of(Jobs.database(1)));
    assertThat(after.desiredJobs(s)).hasSize(2);
    // While restoring, the Deployments (at zero) stay at the running version; after it, NEW rolls.
    assertThat(after.deploymentStack(s).version()).isEqualTo(NEW);

    assertThat(LifecyclePlan.decide(s, stopped, List.of(), Optional.of(Jobs.database(0))).desiredJobs(s)).isEmpty();
    ResolvedStack plain = stack(NEW, false, null);
    LifecyclePlan open = LifecyclePlan.decide(plain, running, List.of(), Optional.empty());
    assertThat(open.deploymentStack(plain).version()).isEqualTo(NEW);
    assertThat(open.stopped(Component.DASHBOARD)).isFalse();
    assertThat(open.desiredJobs(plain)).isEmpty();
  }
}
