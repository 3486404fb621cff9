package io.pistack.operator.health;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The active-probe view of one stack, as the {@link HealthMonitor} event source hands it to a
 * reconcile: the current {@link ProbeRecord} per target key (component part or "database").
 *
 * @param enabled false when active probes are turned off (nothing is ever recorded then)
 * @param records the records by target key; a target not probed yet has none
 * @param pending components that started serving and whose first probe since has not ended
 */
public record StackHealth(boolean enabled, Map<String, ProbeRecord> records, Set<String> pending) {
  public static final StackHealth DISABLED = new StackHealth(false, Map.of(), Set.of());
  public static final StackHealth NONE_YET = new StackHealth(true, Map.of(), Set.of());

  public Optional<ProbeRecord> get(String key) {
    return Optional.ofNullable(records.get(key));
  }

  public boolean pending(String key) {
    return pending.contains(key);
  }
}
