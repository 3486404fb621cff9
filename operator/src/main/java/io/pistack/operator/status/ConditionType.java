package io.pistack.operator.status;

import io.pistack.operator.model.Component;
import java.util.Arrays;
import java.util.Optional;

/**
 * The PiStack's condition types (docs/status.md, "Conditions"), in the order the status lists them; each
 * component's {@code <Component>Ready} comes from the component table ({@link Component#conditionType()}) and is
 * {@link #COMPONENT} here. Which reasons each type carries is in {@link Reason}.
 */
public enum ConditionType {
  /** kstatus and {@code kubectl wait --for=condition=Ready} read it. */
  READY("Ready", true, false),
  PROGRESSING("Progressing", true, false),
  DEGRADED("Degraded", true, false),
  /** Set (True) only when waiting cannot help (InvalidSpec): kstatus reads Stalled=True as Failed. */
  STALLED("Stalled", true, false),
  /** A creation's progress (CreationProgress): its flips are paced like a component's. */
  DATABASE_READY("DatabaseReady", true, true),
  /** Each enabled component's {@code <Component>Ready}: the wire name comes from the component table. */
  COMPONENT(null, false, true),
  /** Only with spec.httpRoute: whether the route's parent Gateway accepted it (RouteVerdict). */
  ROUTE_ACCEPTED("RouteAccepted", false, false),
  BACKUP_FAILING("BackupFailing", false, false),
  BACKUP_VERIFICATION_FAILING("BackupVerificationFailing", false, false),
  /** Present while spec.hibernation is set, or while a stack wakes: True once every pod of the stack is gone. */
  HIBERNATED("Hibernated", false, false),
  /** Only while the maintenance page exists: True when the dashboard's Service answers with it (MaintenancePageCondition). */
  MAINTENANCE_PAGE("MaintenancePage", false, false);

  private final String wire;
  private final boolean headline;
  private final boolean progress;

  ConditionType(String wire, boolean headline, boolean progress) {
    this.wire = wire;
    this.headline = headline;
    this.progress = progress;
  }

  /** The type as written in status.conditions[].type (not for {@link #COMPONENT}: see Component#conditionType). */
  public String wire() {
    if (wire == null) {
      throw new IllegalStateException("a component's condition type comes from Component#conditionType");
    }
    return wire;
  }

  /** Listed first, in this order (Ready, Progressing, Degraded, Stalled, DatabaseReady); the others keep theirs. */
  public boolean headline() {
    return headline;
  }

  /**
   * Its flips are a creation's progress, which waits for its turn while a new stack is created
   * (CreationProgress): DatabaseReady and the components' conditions.
   */
  public boolean progress() {
    return progress;
  }

  /** The type of a condition as written, a component's included. */
  public static Optional<ConditionType> of(String type) {
    if (type == null) {
      return Optional.empty();
    }
    Optional<ConditionType> named = Arrays.stream(values()).filter(t -> type.equals(t.wire)).findFirst();
    return named.isPresent() ? named
        : Arrays.stream(Component.values()).anyMatch(c -> type.equals(c.conditionType()))
            ? Optional.of(COMPONENT) : Optional.empty();
  }

  /** Where a condition of that type goes in status.conditions: the headline ones first, the rest after. */
  static int rank(String type) {
    return of(type).filter(ConditionType::headline).map(Enum::ordinal).orElse(COMPONENT.ordinal());
  }
}
