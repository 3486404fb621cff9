package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the next condition list from the previous one: lastTransitionTime is carried over
 * unless the status flips, so an unchanged condition compares equal and causes no write.
 */
public final class Conditions {
  private final List<Condition> previous;
  private final List<Condition> next = new ArrayList<>();
  private final long generation;
  private final Clock clock;

  public Conditions(List<Condition> previous, long generation, Clock clock) {
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation;
    this.clock = clock;
  }

  public Conditions set(String type, boolean status, String reason, String message) {
    return set(type, status ? "True" : "False", reason, message);
  }

  public Conditions set(ConditionType type, boolean status, String reason, String message) {
    return set(type.wire(), status, reason, message);
  }

  public Conditions set(ConditionType type, String status, String reason, String message) {
    return set(type.wire(), status, reason, message);
  }

  public Conditions set(ConditionType type, boolean status, Reason reason, String message) {
    return set(type.wire(), status, reason.wire(), message);
  }

  /** As {@link #set(String, boolean, String, String)}, with "True", "False" or "Unknown". */
  public Conditions set(String type, String s, String reason, String message) {
    String since = previous.stream()
        .filter(c -> type.equals(c.getType()) && s.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime)
        .findFirst()
        .orElseGet(() -> Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
    next.removeIf(c -> type.equals(c.getType()));
    next.add(new ConditionBuilder().withType(type).withStatus(s).withReason(reason)
        .withMessage(message == null ? "" : message).withLastTransitionTime(since)
        .withObservedGeneration(generation).build());
    return this;
  }

  public List<Condition> build() {
    return List.copyOf(next);
  }

  /** The condition of that type, or null. */
  public static Condition find(List<Condition> conditions, String type) {
    return conditions == null ? null
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  public static Condition find(List<Condition> conditions, ConditionType type) {
    return find(conditions, type.wire());
  }

  public static boolean isTrue(List<Condition> conditions, ConditionType type) {
    return isTrue(conditions, type.wire());
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    return conditions != null && conditions.stream()
        .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
