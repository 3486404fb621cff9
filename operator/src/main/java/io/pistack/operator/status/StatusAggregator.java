package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pistack.operator.health.Issue;
import io.pistack.operator.health.ProbeRecords;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.DrainDecision;
import io.pistack.operator.model.HibernationPlan;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.ResolvedStack;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

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
  /** Ready's message when the active probes are off (e.g. the operator runs outside the cluster). */
  public static final String ALL_READY_UNPROBED =
      "all enabled components are available (judged from pod readiness only: active health probes are off)";
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
   * @param advice the spec stage's advice on a legal spec (SpecCheck#advice), status.warnings
   */
  public PiStackStatus aggregate(ResolvedStack resolved, Observation seen, BackupRestoreStatus.Seen lifecycle,
      List<io.pistack.operator.model.SpecWarnings.Warning> advice) {
    PiStack stack = resolved.source();
    PiStackStatus previous = stack.getStatus();
    long generation = stack.getMetadata().getGeneration() == null ? 0 : stack.getMetadata().getGeneration();
    Conditions conditions = new Conditions(previous == null ? null : previous.conditions, generation, clock);
    PiStackStatus status = new PiStackStatus();
    status.observedGeneration = generation;
    status.url = resolved.publicUrl().orElse(null);

    // 1-2. Nothing applied: an invalid or refused spec, a name taken (Stalled: waiting cannot help).
    if (!seen.invalidSpec().isEmpty() || !seen.namesTaken().isEmpty()) {
      boolean invalid = !seen.invalidSpec().isEmpty();
      String reason = invalid ? seen.invalidReason() : Reason.NAME_TAKEN.wire();
      String message = String.join("; ", invalid ? seen.invalidSpec() : seen.namesTaken());
      conditions.set(ConditionType.READY, false, reason, message)
          .set(ConditionType.PROGRESSING, false, reason, !invalid
              ? "rename or delete the objects named in Ready to continue"
              : Reason.REFUSED_BY_POLICY.is(reason)
                  ? "change the spec, or have the operator's policy allow it, to continue" : "fix the spec to continue")
          .set(ConditionType.DEGRADED, true, reason, message)
          .set(ConditionType.STALLED, true, reason, message);
      status.conditions = conditions.build();
      status.components = previous == null ? status.components : previous.components;
      status.dashboardReplicas = previous == null ? null : previous.dashboardReplicas;
      status.backup = previous == null ? null : previous.backup;
      status.restore = previous == null ? null : previous.restore;
      return status;
    }

    status.warnings = advice.isEmpty() ? null : advice.stream().map(Object::toString).toList();

    // Faults (Degraded): input problems first (apply, Secrets, database), then each component in
    // enum order; and, apart from them, what is merely not ready yet.
    List<Issue> faults = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    // Pods the scheduler cannot place (what the cluster is short of): not a fault, but Ready's reason.
    List<String> unschedulable = new ArrayList<>();
    boolean progressing = false;
    seen.applyError().ifPresent(m -> faults.add(new Issue(Reason.RECONCILE_FAILED.wire(), m)));
    if (!seen.missingReferences().isEmpty()) {
      faults.add(new Issue(Reason.SECRET_NOT_FOUND.wire(), String.join("; ", seen.missingReferences())));
    }

    DatabaseVerdict db = DatabaseVerdict.of(resolved, seen.database(), pods(seen, "db"),
        seen.missingCredentials(), seen.health(),
        Conditions.find(previous == null ? null : previous.conditions, ConditionType.DATABASE_READY));
    conditions.set(ConditionType.DATABASE_READY, db.status(), db.reason(), db.message());
    db.issue().ifPresent(faults::add);
    if (!db.ready() && db.issue().isEmpty()) {
      waiting.add("database (" + db.reason() + ")");
      progressing = true;
      if (Reason.UNSCHEDULABLE.is(db.reason())) {
        unschedulable.add(db.message());
      }
    }

    for (Component c : resolved.enabledComponents()) {
      Deployment d = seen.deployments().get(c);
      ComponentStatus cs = ComponentVerdict.componentStatus(d);
      seen.health().get(c.part()).ifPresent(r -> cs.health = ProbeRecords.toStatus(r));
      status.components.put(c.part(), cs);
      ComponentVerdict v = ComponentVerdict.of(c, resolved.name(c), d, pods(seen, c.part()), seen.health());
      conditions.set(c.conditionType(), v.ready(), v.reason(), v.message());
      faults.addAll(v.issues());
      if (!v.ready() && v.issues().isEmpty()) {
        waiting.add(c.part() + " (" + v.reason() + ")");
        if (Reason.UNSCHEDULABLE.is(v.reason())) {
          unschedulable.add(v.message());
        }
      }
      progressing |= v.progressing();
    }
    if (resolved.enabled(Component.main())) {
      ComponentStatus main = status.components.get(Component.main().part());
      status.dashboardReplicas = n(main.readyReplicas) + "/" + n(main.desiredReplicas);
    }

    RouteVerdict.of(resolved, seen.route()).ifPresent(r -> {
      conditions.set(ConditionType.ROUTE_ACCEPTED, r.status(), r.reason().wire(), r.message());
      r.issue().ifPresent(faults::add);
    });
    String waitingFor = truncate("waiting for " + String.join(", ", waiting));
    if (!faults.isEmpty()) {
      String reason = faults.get(0).reason();
      String message = truncate(String.join("; ", faults.stream().map(Issue::message).distinct().toList()));
      conditions.set(ConditionType.READY, false, reason, message)
          .set(ConditionType.PROGRESSING, progressing, progressing ? Reason.ROLLING_OUT.wire() : reason,
              !progressing ? "stopped: " + reason
                  // Only faulted components are moving: say so rather than "waiting for " nothing.
                  : waiting.isEmpty() ? "rolling out despite " + reason + " (see Degraded)" : waitingFor)
          .set(ConditionType.DEGRADED, true, reason, message);
    } else if (waiting.isEmpty()) {
      conditions.set(ConditionType.READY, true, Reason.ALL_COMPONENTS_READY, seen.health().enabled()
              ? "all enabled components are available" : ALL_READY_UNPROBED)
          .set(ConditionType.PROGRESSING, false, Reason.ROLLOUT_COMPLETE, "")
          .set(ConditionType.DEGRADED, false, Reason.AS_EXPECTED, "");
    } else if (!unschedulable.isEmpty()) {
      conditions.set(ConditionType.READY, false, Reason.UNSCHEDULABLE, truncate(String.join("; ", unschedulable)))
          .set(ConditionType.PROGRESSING, true, Reason.ROLLING_OUT, waitingFor)
          .set(ConditionType.DEGRADED, false, Reason.AS_EXPECTED, "");
    } else {
      conditions.set(ConditionType.READY, false, Reason.COMPONENTS_NOT_READY, waitingFor)
          .set(ConditionType.PROGRESSING, true, Reason.ROLLING_OUT, waitingFor)
          .set(ConditionType.DEGRADED, false, Reason.AS_EXPECTED, "");
    }
    if (resolved.paused()) {
      // Health is still reported (Degraded above); Ready and Progressing say that nothing moves.
      conditions.set(ConditionType.READY, false, Reason.PAUSED,
          "spec.paused is true: the operator does not change the stack's objects; health is still reported")
          .set(ConditionType.PROGRESSING, false, Reason.PAUSED, "reconciliation is paused");
    } else if (faults.isEmpty()) {
      // A held upgrade or restore explains a stack that is otherwise fine (or merely starting).
      LifecycleConditions.gateUpgrade(lifecycle.upgrade(), lifecycle.backup(), conditions);
      LifecycleConditions.gateRestore(lifecycle.restore(), conditions);
      LifecycleConditions.gateDrain(lifecycle.drain(), conditions);
    }
    HibernationConditions.set(resolved, HibernationPlan.decide(resolved, seen.deployments().values(), seen.database(),
        seen.pods()), !resolved.paused() && faults.isEmpty(), faults.isEmpty() && waiting.isEmpty(),
        Conditions.find(previous == null ? null : previous.conditions, ConditionType.HIBERNATED), conditions);
    if (!resolved.paused() && lifecycle.drain().step() == DrainDecision.Step.STUCK) {
      // A stuck migration explains the dashboard's own fault: it takes precedence over it.
      LifecycleConditions.stuck(lifecycle.drain(), conditions);
    }
    status.backup = lifecycle.reportedBackup();
    status.restore = lifecycle.restore();
    if (lifecycle.backupsEnabled()) {
      LifecycleConditions.backupFailing(lifecycle.backup(), conditions);
    }
    if (lifecycle.verifyEnabled()) {
      VerificationStatus.setCondition(conditions, lifecycle.backup());
    }
    MaintenancePageCondition.set(resolved, lifecycle.page(), conditions);
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
        .set(ConditionType.READY, false, Reason.RECONCILE_FAILED, message)
        .set(ConditionType.DEGRADED, true, Reason.RECONCILE_FAILED, message)
        .build();
    List<Condition> conditions = new ArrayList<>(failed);
    if (previous.conditions != null) {
      previous.conditions.stream().filter(c -> ConditionType.of(c.getType())
          .filter(t -> t == ConditionType.READY || t == ConditionType.DEGRADED || t == ConditionType.STALLED).isEmpty()).forEach(conditions::add);
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

  /** Ready, Progressing, Degraded, Stalled, DatabaseReady, then the others, in a stable order (ConditionType). */
  private static List<Condition> order(List<Condition> conditions) {
    List<Condition> sorted = new ArrayList<>(conditions);
    sorted.sort(java.util.Comparator.comparingInt((Condition c) -> ConditionType.rank(c.getType())));
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

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }


}
