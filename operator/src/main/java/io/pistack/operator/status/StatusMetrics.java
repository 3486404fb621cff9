package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.pistack.operator.api.v1alpha1.BackupVerificationStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.model.Component;
import io.pistack.operator.metrics.OperatorMetrics;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Mirrors a computed status into the operator's metrics: the stack's Ready condition, whether it sleeps (its
 * Hibernated condition), each component's condition, and one reconcile error per reconcile that ends in an error
 * reason.
 * The status is the single source of truth; metrics never judge health on their own.
 */
final class StatusMetrics {
  private final OperatorMetrics metrics;

  StatusMetrics(OperatorMetrics metrics) {
    this.metrics = metrics;
  }

  void record(PiStack stack, PiStackStatus status) {
    String ns = stack.getMetadata().getNamespace();
    String name = stack.getMetadata().getName();
    List<Condition> conditions = status.conditions;
    metrics.stackReady(ns, name, Conditions.isTrue(conditions, ConditionType.READY));
    metrics.stackHibernated(ns, name, asleepOrGoingToSleep(conditions));
    if (status.components != null) {
      status.components.keySet().forEach(part -> metrics.componentHealthy(ns, name, part,
          Conditions.isTrue(conditions, Component.fromPart(part).conditionType())));
    }
    recordVerification(stack, status);
    recordLastBackup(stack, status);
    if (conditions != null) {
      // Ready's reason when the reconcile failed, as opposed to "still rolling out" (Reason#countsAsError).
      conditions.stream().filter(c -> ConditionType.READY.wire().equals(c.getType()))
          .map(c -> Reason.of(c.getReason())).flatMap(Optional::stream).filter(Reason::countsAsError).findFirst()
          .map(Reason::wire).ifPresent(metrics::reconcileError);
    }
  }

  /**
   * The stack sleeps or goes to sleep: its Hibernated condition's reason is Hibernated or Hibernating. Waking (and
   * Awake, and no condition) is not: a stack that fails to wake must alert (docs/monitoring.md).
   */
  static boolean asleepOrGoingToSleep(List<Condition> conditions) {
    return conditions != null && conditions.stream()
        .filter(c -> ConditionType.HIBERNATED.wire().equals(c.getType()))
        .anyMatch(c -> Reason.HIBERNATED_STACK.is(c.getReason()) || Reason.HIBERNATING.is(c.getReason()));
  }

  /** Present while the stack's backups are enabled (the BackupFailing condition is set): when the last one completed. */
  private void recordLastBackup(PiStack stack, PiStackStatus status) {
    String ns = stack.getMetadata().getNamespace();
    String name = stack.getMetadata().getName();
    if (status.conditions == null
        || status.conditions.stream().noneMatch(c -> ConditionType.BACKUP_FAILING.wire().equals(c.getType()))) {
      metrics.forgetBackups(ns, name);
      return;
    }
    String at = status.backup != null && status.backup.lastSuccessfulTime != null ? status.backup.lastSuccessfulTime
        : stack.getMetadata().getCreationTimestamp();
    metrics.backupSucceeded(ns, name, epoch(at));
  }

  private static long epoch(String at) {
    try {
      return at == null ? 0 : Instant.parse(at).getEpochSecond();
    } catch (DateTimeParseException e) {
      return 0;
    }
  }

  /** Present while the stack's backups are verified (the BackupVerificationFailing condition is set). */
  private void recordVerification(PiStack stack, PiStackStatus status) {
    String ns = stack.getMetadata().getNamespace();
    String name = stack.getMetadata().getName();
    boolean verified = status.conditions != null
        && status.conditions.stream().anyMatch(c -> ConditionType.BACKUP_VERIFICATION_FAILING.wire().equals(c.getType()));
    if (!verified) {
      metrics.forgetVerification(ns, name);
      return;
    }
    BackupVerificationStatus v = status.backup == null ? null : status.backup.lastVerified;
    String at = v != null && v.time != null ? v.time : stack.getMetadata().getCreationTimestamp();
    long epoch;
    try {
      epoch = at == null ? 0 : Instant.parse(at).getEpochSecond();
    } catch (DateTimeParseException e) {
      epoch = 0;
    }
    metrics.backupVerification(ns, name, v == null || v.result == BackupVerificationStatus.Result.Passed, epoch);
  }
}
