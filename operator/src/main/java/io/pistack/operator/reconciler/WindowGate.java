package io.pistack.operator.reconciler;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.Gauge;
import io.pistack.operator.dependent.Observed;
import io.pistack.operator.metrics.OperatorMetrics;
import io.pistack.operator.model.BackupSettings;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.MaintenanceWindows;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.UpgradeDecision;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The maintenance windows of a reconcile (docs/upgrade.md#maintenance-windows): the stack's own
 * ({@code spec.maintenanceWindows}), else the operator's default ({@code PI_OPERATOR_MAINTENANCE_WINDOWS}), at the
 * reconcile's instant, under which the reconcile's lifecycle plan is decided; and
 * {@code pi_operator_changes_waiting_for_window}, the stacks whose change waits now.
 */
final class WindowGate {
  private final Clock clock;
  private volatile MaintenanceWindows defaults = MaintenanceWindows.ALWAYS;
  private final Set<ResourceID> waiting = ConcurrentHashMap.newKeySet();

  WindowGate(Clock clock, OperatorMetrics metrics) {
    this.clock = clock;
    Gauge.builder("pi_operator_changes_waiting_for_window", waiting, Set::size)
        .description("PiStacks whose version change waits for their next maintenance window")
        .register(metrics.registry());
  }

  void defaults(MaintenanceWindows windows) {
    defaults = windows;
  }

  /**
   * The reconcile's one lifecycle decision under the maintenance windows now ({@link LifecyclePlan#of}, from what the
   * caches held before the apply), recorded in the gauge.
   *
   * @param restore the restore request as RestoreResolver resolved it
   */
  LifecyclePlan plan(ResolvedStack stack, Observed seen, Optional<BackupSettings.RestoreRequest> restore) {
    return record(stack, LifecyclePlan.of(stack, seen.deployments(), seen.jobs(), seen.database(), seen.pods(),
        seen.page(), restore, closed(stack)));
  }

  /** The window the stack waits for when none is open now; empty while one is (or when it has none). */
  private Optional<MaintenanceWindows.Wait> closed(ResolvedStack stack) {
    List<String> ignored = new ArrayList<>(); // an invalid spec never gets here (SpecGate)
    MaintenanceWindows own = MaintenanceWindows.of(stack.source().getSpec().maintenanceWindows, ignored);
    return (own.always() ? defaults : own).waitAt(clock.instant());
  }

  /** Records whether this reconcile's plan holds a change for a window (the gauge). */
  private LifecyclePlan record(ResolvedStack stack, LifecyclePlan plan) {
    ResourceID id = ResourceID.fromResource(stack.source());
    if (plan.upgrade().phase() == UpgradeDecision.Phase.WAITING_FOR_WINDOW) {
      waiting.add(id);
    } else {
      waiting.remove(id);
    }
    return plan;
  }

  void forget(ResourceID id) {
    waiting.remove(id);
  }
}
