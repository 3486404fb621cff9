package io.pistack.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.model.Component;
import io.pistack.operator.runtime.OperatorMetrics;
import java.util.List;
import java.util.Set;

/**
 * Mirrors a computed status into the operator's metrics: the stack's Ready condition, each
 * component's condition, and one reconcile error per reconcile that ends in an error reason.
 * The status is the single source of truth; metrics never judge health on their own.
 */
final class StatusMetrics {
  /** Ready reasons that mean the reconcile failed (as opposed to "still rolling out"). */
  static final Set<String> ERROR_REASONS = Set.of("InvalidSpec", "ReconcileFailed", "SecretNotFound");

  private final OperatorMetrics metrics;

  StatusMetrics(OperatorMetrics metrics) {
    this.metrics = metrics;
  }

  void record(PiStack stack, PiStackStatus status) {
    String ns = stack.getMetadata().getNamespace();
    String name = stack.getMetadata().getName();
    List<Condition> conditions = status.conditions;
    metrics.stackReady(ns, name, Conditions.isTrue(conditions, Conditions.READY));
    if (status.components != null) {
      status.components.keySet().forEach(part -> metrics.componentHealthy(ns, name, part,
          Conditions.isTrue(conditions, Component.fromPart(part).conditionType())));
    }
    if (conditions != null) {
      conditions.stream().filter(c -> Conditions.READY.equals(c.getType()))
          .map(Condition::getReason).filter(ERROR_REASONS::contains).findFirst()
          .ifPresent(metrics::reconcileError);
    }
  }
}
