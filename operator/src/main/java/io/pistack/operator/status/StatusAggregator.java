package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.pistack.operator.health.Issue;
import io.pistack.operator.health.ProbeRecords;
import io.pistack.operator.health.WorkloadIssues;
import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.DrainDecision;
import io.pistack.operator.model.JobOutcome;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.UpgradeDecision;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides the PiStack's status: every condition is set here, and only here. Pure: the same
 * observation and previous status always give an equal status, so an unchanged stack is never
 * written; the events are derived from the transition afterwards ({@link TransitionEvents}).
 *
 * <p>Why Ready is what it is, in order of precedence:
 *
 * <ol>
 *   <li>an invalid spec: Ready=False InvalidSpec (and Stalled); what the operator's policy refuses the same way,
 *       reason RefusedByPolicy;
 *   <li>a name held by an object the operator did not create: Ready=False NameTaken (and Stalled), nothing applied;
 *   <li>an error outside the managed workflow ({@link #failed}): Ready=False ReconcileFailed, the
 *       rest of the status as last reported;
 *   <li>faults (Degraded=True): apply errors, missing Secrets, the database, then each component's
 *       in table order; Ready takes the first fault's reason, so {@code kubectl get pistacks} shows
 *       why;
 *   <li>spec.paused: Ready=False Paused (health is still reported in Degraded);
 *   <li>the lifecycle gates: a pre-upgrade backup (PreUpgradeBackup, or PreUpgradeBackupFailed) and
 *       then a restore (Restoring, RestoreRefused, RestoreFailed) hold the stack;
 *   <li>otherwise Ready=True AllComponentsReady when every enabled component is available (and its
 *       active probe, if any, passes) and the database is ready; else Unschedulable when pods wait for
 *       a node (the scheduler's words: what the cluster is short of), else ComponentsNotReady.
 * </ol>
 *
 * BackupFailing reports the newest backup run while backups are on; BackupVerificationFailing the
 * newest verification while backups are verified. docs/status.md explains each
 * reason.
 */
public final class StatusAggregator {
  public static final String INVALID_SPEC = "InvalidSpec";
  /** What the operator's policy refuses (PolicyCheck): nothing is applied, like InvalidSpec. */
  public static final String REFUSED_BY_POLICY = "RefusedByPolicy";
  public static final String RECONCILE_FAILED = "ReconcileFailed";
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  public static final String NAME_TAKEN = "NameTaken";
  public static final String PAUSED = "Paused";
  public static final String ALL_READY = "AllComponentsReady";
  /** Ready=False: pods no node can take yet; the message gives the scheduler's words (not a fault). */
  public static final String UNSCHEDULABLE = WorkloadIssues.UNSCHEDULABLE;
  /** Ready's message when the active probes are off (e.g. the operator runs outside the cluster). */
  public static final String ALL_READY_UNPROBED =
      "all enabled components are available (judged from pod readiness only: active health probes are off)";
  public static final String COMPONENTS_NOT_READY = "ComponentsNotReady";
  public static final String ROLLING_OUT = "RollingOut";
  public static final String BACKUP_FAILING = BackupRestoreStatus.BACKUP_FAILING;
  public static final String PRE_UPGRADE_BACKUP = "PreUpgradeBackup";
  public static final String UPGRADE_DRAINING = "UpgradeDraining";
  public static final String UPGRADE_MIGRATING = "UpgradeMigrating";
  public static final String UPGRADE_MIGRATION_STUCK = "UpgradeMigrationStuck";
  /** The start of the PreUpgradeBackup message while the backup Job runs (its event, see TransitionEvents). */
  static final String PRE_UPGRADE_BACKUP_RUNNING = "backing up before upgrading from ";
  /** The start of a ReconcileFailed message for an error outside the workflow (see {@link #failed}). */
  static final String RECONCILE_FAILED_OUTSIDE = "reconciling failed, retrying with back-off: ";
  static final int MAX_MESSAGE = 1024;
  private final Clock clock;

  public StatusAggregator(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param lifecycle what the backup and restore Jobs say; null when the spec is invalid (the
   *     previous status.backup and status.restore are kept)
   */
  public PiStackStatus aggregate(ResolvedStack resolved, Observation seen, BackupRestoreStatus.Seen lifecycle) {
    PiStack stack = resolved.source();
    PiStackStatus previous = stack.getStatus();
    long generation = stack.getMetadata().getGeneration() == null ? 0 : stack.getMetadata().getGeneration();
    Conditions conditions = new Conditions(previous == null ? null : previous.conditions, generation, clock);
    PiStackStatus status = new PiStackStatus();
    status.observedGeneration = generation;
    status.url = resolved.publicUrl().orElse(null);

    if (!seen.invalidSpec().isEmpty() || !seen.namesTaken().isEmpty()) {
      boolean invalid = !seen.invalidSpec().isEmpty();
      String reason = invalid ? seen.invalidReason() : NAME_TAKEN;
      String message = String.join("; ", invalid ? seen.invalidSpec() : seen.namesTaken());
      conditions.set(Conditions.READY, false, reason, message)
          .set(Conditions.PROGRESSING, false, reason, !invalid
              ? "rename or delete the objects named in Ready to continue"
              : REFUSED_BY_POLICY.equals(reason)
                  ? "change the spec, or have the operator's policy allow it, to continue" : "fix the spec to continue")
          .set(Conditions.DEGRADED, true, reason, message)
          .set(Conditions.STALLED, true, reason, message);
      status.conditions = conditions.build();
      status.components = previous == null ? status.components : previous.components;
      status.dashboardReplicas = previous == null ? null : previous.dashboardReplicas;
      status.backup = previous == null ? null : previous.backup;
      status.restore = previous == null ? null : previous.restore;
      return status;
    }

    List<String> advice = io.pistack.operator.model.SpecValidator.warnings(stack).stream().map(Object::toString).toList();
    status.warnings = advice.isEmpty() ? null : advice;

    // Faults (Degraded): input problems first (apply, Secrets, database), then each component in
    // enum order; and, apart from them, what is merely not ready yet.
    List<Issue> faults = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    // Pods the scheduler cannot place (what the cluster is short of): not a fault, but Ready's reason.
    List<String> unschedulable = new ArrayList<>();
    boolean progressing = false;
    seen.applyError().ifPresent(m -> faults.add(new Issue(RECONCILE_FAILED, m)));
    if (!seen.missingReferences().isEmpty()) {
      faults.add(new Issue(SECRET_NOT_FOUND, String.join("; ", seen.missingReferences())));
    }

    DatabaseVerdict db = DatabaseVerdict.of(resolved, seen.database(), pods(seen, "db"),
        seen.missingCredentials(), seen.health(),
        Conditions.find(previous == null ? null : previous.conditions, Conditions.DATABASE_READY));
    conditions.set(Conditions.DATABASE_READY, db.status(), db.reason(), db.message());
    db.issue().ifPresent(faults::add);
    if (!db.ready() && db.issue().isEmpty()) {
      waiting.add("database (" + db.reason() + ")");
      progressing = true;
      if (UNSCHEDULABLE.equals(db.reason())) {
        unschedulable.add(db.message());
      }
    }

    for (Component c : resolved.enabledComponents()) {
      Deployment d = seen.deployments().get(c);
      ComponentStatus cs = componentStatus(d);
      seen.health().get(c.part()).ifPresent(r -> cs.health = ProbeRecords.toStatus(r));
      status.components.put(c.part(), cs);
      ComponentVerdict v = ComponentVerdict.of(c, resolved.name(c), d, pods(seen, c.part()), seen.health());
      conditions.set(c.conditionType(), v.ready(), v.reason(), v.message());
      faults.addAll(v.issues());
      if (!v.ready() && v.issues().isEmpty()) {
        waiting.add(c.part() + " (" + v.reason() + ")");
        if (UNSCHEDULABLE.equals(v.reason())) {
          unschedulable.add(v.message());
        }
      }
      progressing |= v.progressing();
    }
    if (resolved.enabled(Component.main())) {
      ComponentStatus main = status.components.get(Component.main().part());
      status.dashboardReplicas = n(main.readyReplicas) + "/" + n(main.desiredReplicas);
    }

    String waitingFor = truncate("waiting for " + String.join(", ", waiting));
    if (!faults.isEmpty()) {
      String reason = faults.get(0).reason();
      String message = truncate(String.join("; ", faults.stream().map(Issue::message).distinct().toList()));
      conditions.set(Conditions.READY, false, reason, message)
          .set(Conditions.PROGRESSING, progressing, progressing ? ROLLING_OUT : reason,
              !progressing ? "stopped: " + reason
                  // Only faulted components are moving: say so rather than "waiting for " nothing.
                  : waiting.isEmpty() ? "rolling out despite " + reason + " (see Degraded)" : waitingFor)
          .set(Conditions.DEGRADED, true, reason, message);
    } else if (waiting.isEmpty()) {
      conditions.set(Conditions.READY, true, ALL_READY, seen.health().enabled()
              ? "all enabled components are available" : ALL_READY_UNPROBED)
          .set(Conditions.PROGRESSING, false, "RolloutComplete", "")
          .set(Conditions.DEGRADED, false, "AsExpected", "");
    } else if (!unschedulable.isEmpty()) {
      conditions.set(Conditions.READY, false, UNSCHEDULABLE, truncate(String.join("; ", unschedulable)))
          .set(Conditions.PROGRESSING, true, ROLLING_OUT, waitingFor)
          .set(Conditions.DEGRADED, false, "AsExpected", "");
    } else {
      conditions.set(Conditions.READY, false, COMPONENTS_NOT_READY, waitingFor)
          .set(Conditions.PROGRESSING, true, ROLLING_OUT, waitingFor)
          .set(Conditions.DEGRADED, false, "AsExpected", "");
    }
    if (resolved.paused()) {
      // Health is still reported (Degraded above); Ready and Progressing say that nothing moves.
      conditions.set(Conditions.READY, false, PAUSED,
          "spec.paused is true: the operator does not change the stack's objects; health is still reported")
          .set(Conditions.PROGRESSING, false, PAUSED, "reconciliation is paused");
    } else if (faults.isEmpty()) {
      // A held upgrade or restore explains a stack that is otherwise fine (or merely starting).
      gateUpgrade(lifecycle.upgrade(), lifecycle.backup(), conditions);
      gateRestore(lifecycle.restore(), conditions);
      gateDrain(lifecycle.drain(), conditions);
    }
    if (!resolved.paused() && lifecycle.drain().step() == DrainDecision.Step.STUCK) {
      // A stuck migration explains the dashboard's own fault: it takes precedence over it.
      stuck(lifecycle.drain(), conditions);
    }
    status.backup = lifecycle.reportedBackup();
    status.restore = lifecycle.restore();
    if (lifecycle.backupsEnabled()) {
      backupFailing(lifecycle.backup(), conditions);
    }
    if (lifecycle.verifyEnabled()) {
      VerificationStatus.setCondition(conditions, lifecycle.backup());
    }
    status.conditions = order(conditions.build());
    return status;
  }

  /**
   * The status after a reconcile that failed outside the managed workflow (the status write, a
   * lookup, the credentials ownership sync): the previous status with Ready=False and
   * Degraded=True, reason ReconcileFailed, and the failure's secret-free summary (ErrorSummary) as
   * message; every other condition and field is kept as last reported, except Stalled (waiting
   * may help now). Pure and equal for a repeated identical failure, so a retry writes nothing.
   */
  public PiStackStatus failed(PiStack stack, String summary) {
    PiStackStatus previous = stack.getStatus() == null ? new PiStackStatus() : stack.getStatus();
    long generation = stack.getMetadata().getGeneration() == null ? 0 : stack.getMetadata().getGeneration();
    String message = truncate(RECONCILE_FAILED_OUTSIDE + summary);
    List<Condition> failed = new Conditions(previous.conditions, generation, clock)
        .set(Conditions.READY, false, RECONCILE_FAILED, message)
        .set(Conditions.DEGRADED, true, RECONCILE_FAILED, message)
        .build();
    List<Condition> conditions = new ArrayList<>(failed);
    if (previous.conditions != null) {
      previous.conditions.stream().filter(c -> !List.of(Conditions.READY, Conditions.DEGRADED, Conditions.STALLED)
          .contains(c.getType())).forEach(conditions::add);
    }
    PiStackStatus status = new PiStackStatus();
    status.observedGeneration = generation;
    status.conditions = order(conditions);
    status.components = previous.components;
    status.url = previous.url;
    status.dashboardReplicas = previous.dashboardReplicas;
    status.warnings = previous.warnings;
    status.backup = previous.backup;
    status.restore = previous.restore;
    return status;
  }

  // ---- lifecycle conditions ------------------------------------------------------------------

  private static void backupFailing(BackupStatus backup, Conditions conditions) {
    boolean failing = backup.lastFailureTime != null && (backup.lastSuccessfulTime == null
        || BackupRestoreStatus.newer(backup.lastFailureTime, backup.lastSuccessfulTime));
    if (failing) {
      conditions.set(BACKUP_FAILING, true, "BackupFailed", backup.lastFailureMessage);
    } else if (backup.lastSuccessfulTime != null) {
      conditions.set(BACKUP_FAILING, false, "BackupSucceeded", "last successful backup at "
          + backup.lastSuccessfulTime + (backup.lastBackupName == null ? "" : ": " + backup.lastBackupName));
    } else {
      conditions.set(BACKUP_FAILING, false, "NoBackupYet", "no backup has completed yet");
    }
  }

  private static void gateUpgrade(UpgradeDecision u, BackupStatus backup, Conditions conditions) {
    switch (u.phase()) {
      case WAITING_FOR_DATABASE, BACKING_UP -> {
        String m = u.phase() == UpgradeDecision.Phase.BACKING_UP
            ? PRE_UPGRADE_BACKUP_RUNNING + u.running() + " to " + u.target() + " (Job " + u.jobName() + ")"
            : "the upgrade from " + u.running() + " to " + u.target()
                + " waits for the database to be ready for its pre-upgrade backup";
        conditions.set(Conditions.READY, false, PRE_UPGRADE_BACKUP, m)
            .set(Conditions.PROGRESSING, true, PRE_UPGRADE_BACKUP, m);
      }
      case FAILED -> {
        String prefix = "Job " + u.jobName() + ": ";
        String why = backup.lastFailureMessage != null && backup.lastFailureMessage.startsWith(prefix)
            ? backup.lastFailureMessage.substring(prefix.length())
            : u.outcome().map(JobOutcome::message).orElse("failed");
        String m = BackupRestoreStatus.truncate("the pre-upgrade backup Job " + u.jobName() + " failed (" + why
            + "); the Deployments stay at " + u.running() + ". Delete the Job to retry, set spec.version back to "
            + u.running() + ", or set spec.backup.enabled: false to upgrade without a backup");
        conditions.set(Conditions.READY, false, BackupRestoreStatus.PRE_UPGRADE_BACKUP_FAILED, m)
            .set(Conditions.PROGRESSING, false, BackupRestoreStatus.PRE_UPGRADE_BACKUP_FAILED, m)
            .set(Conditions.DEGRADED, true, BackupRestoreStatus.PRE_UPGRADE_BACKUP_FAILED, m);
      }
      default -> { }
    }
  }

  private static void gateDrain(DrainDecision d, Conditions conditions) {
    String m = switch (d.step()) {
      case DRAINING -> "draining the dashboard and scheduler before upgrading from " + d.from() + " to " + d.to()
          + ": no two versions use the schema at once";
      case MIGRATING -> "one dashboard of " + d.to() + " upgrades the repository schema alone; the other dashboards,"
          + " the scheduler and the other components (still at " + d.from() + ") follow when it is Ready";
      default -> null;
    };
    if (m != null) {
      String reason = d.step() == DrainDecision.Step.DRAINING ? UPGRADE_DRAINING : UPGRADE_MIGRATING;
      conditions.set(Conditions.READY, false, reason, m).set(Conditions.PROGRESSING, true, reason, m);
    }
  }

  private static void stuck(DrainDecision d, Conditions conditions) {
    String m = BackupRestoreStatus.truncate("the dashboard of " + d.to() + " did not become Ready within"
        + " spec.upgrade.migrationTimeoutSeconds; the upgrade stopped before starting the others (" + d.detail()
        + "). See its logs; to go back set spec.version to " + d.from() + " and, if the schema was changed,"
        + " restore the pre-upgrade backup (docs/upgrade.md)");
    conditions.set(Conditions.READY, false, UPGRADE_MIGRATION_STUCK, m)
        .set(Conditions.PROGRESSING, false, UPGRADE_MIGRATION_STUCK, m)
        .set(Conditions.DEGRADED, true, UPGRADE_MIGRATION_STUCK, m);
  }

  private static void gateRestore(RestoreStatus r, Conditions conditions) {
    if (r == null) {
      return;
    }
    switch (r.phase) {
      case Pending, Running -> conditions.set(Conditions.READY, false, "Restoring", r.message)
          .set(Conditions.PROGRESSING, true, "Restoring", r.message);
      case Refused, Failed -> {
        String reason = r.phase == RestoreStatus.Phase.Refused
            ? BackupRestoreStatus.RESTORE_REFUSED : BackupRestoreStatus.RESTORE_FAILED;
        conditions.set(Conditions.READY, false, reason, r.message)
            .set(Conditions.PROGRESSING, false, reason, r.message)
            .set(Conditions.DEGRADED, true, reason, r.message);
      }
      default -> { }
    }
  }

  /** Ready, Progressing, Degraded, DatabaseReady, then the components', in a stable order. */
  private static List<Condition> order(List<Condition> conditions) {
    List<String> first = List.of(Conditions.READY, Conditions.PROGRESSING, Conditions.DEGRADED,
        Conditions.STALLED, Conditions.DATABASE_READY);
    List<Condition> sorted = new ArrayList<>(conditions);
    sorted.sort(java.util.Comparator.comparingInt((Condition c) -> {
      int i = first.indexOf(c.getType());
      return i < 0 ? first.size() : i;
    }));
    return List.copyOf(sorted);
  }

  private static List<Pod> pods(Observation seen, String part) {
    return seen.pods().stream()
        .filter(p -> p.getMetadata().getLabels() != null && part.equals(p.getMetadata().getLabels().get(Labels.COMPONENT)))
        .toList();
  }

  private static String truncate(String m) {
    return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m;
  }

  static ComponentStatus componentStatus(Deployment d) {
    ComponentStatus cs = new ComponentStatus();
    if (d == null) {
      cs.desiredReplicas = 0;
      cs.readyReplicas = 0;
      return cs;
    }
    DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    cs.desiredReplicas = d.getSpec().getReplicas() != null ? d.getSpec().getReplicas()
        : n(s.getReplicas());
    cs.readyReplicas = n(s.getReadyReplicas());
    cs.updatedReplicas = n(s.getUpdatedReplicas());
    cs.availableReplicas = n(s.getAvailableReplicas());
    cs.image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    return cs;
  }

  /** Available: the controller saw the current spec and every desired pod is updated and available. */
  static boolean isAvailable(Deployment d) {
    if (d == null || d.getStatus() == null) {
      return false;
    }
    DeploymentStatus s = d.getStatus();
    boolean observed = s.getObservedGeneration() != null
        && s.getObservedGeneration() >= n(d.getMetadata().getGeneration());
    int desired = d.getSpec().getReplicas() != null ? d.getSpec().getReplicas() : Math.max(1, n(s.getReplicas()));
    return observed && n(s.getUpdatedReplicas()) >= desired && n(s.getAvailableReplicas()) >= desired;
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }

  private static long n(Long l) {
    return l == null ? 0 : l;
  }

}
