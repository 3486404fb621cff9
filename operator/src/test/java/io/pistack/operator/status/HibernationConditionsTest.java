package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.HibernationPlan;
import io.pistack.operator.model.HibernationPlan.Step;
import io.pistack.operator.model.ResolvedStack;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What Hibernated, Ready and Progressing say at each step of hibernation, and the Events of its transitions. */
class HibernationConditionsTest {
  static final Clock CLOCK = Clock.fixed(Instant.EPOCH, ZoneOffset.UTC);

  static ResolvedStack stack(String hibernation) {
    String yaml = "apiVersion: pistack.io/v1alpha1\nkind: PiStack\nmetadata:\n  name: pi\n  namespace: ns\n"
        + "spec:\n  version: \"2025_10.1\"\n" + hibernation;
    return new ResolvedStack(Serialization.unmarshal(yaml, PiStack.class));
  }

  static List<Condition> set(ResolvedStack s, HibernationPlan plan, boolean holdsReady, boolean readyNow,
      Condition previous) {
    Conditions c = new Conditions(null, 1, CLOCK);
    HibernationConditions.set(s, plan, holdsReady, readyNow, previous, c);
    return c.build();
  }

  static Condition find(List<Condition> conditions, ConditionType type) {
    return Conditions.find(conditions, type);
  }

  @Test
  void aStackThatNeverSleptHasNoHibernatedCondition() {
    assertThat(set(stack(""), HibernationPlan.awake(), true, true, null)).isEmpty();
  }

  @Test
  void eachStepSaysWhatItWaitsFor() {
    ResolvedStack s = stack("  hibernation:\n    enabled: true\n");
    List<Condition> stopping = set(s, new HibernationPlan(Step.STOPPING_COMPONENTS,
        Set.of(Component.DASHBOARD, Component.RENDERER), false, "renderer"), true, false, null);
    assertThat(find(stopping, ConditionType.HIBERNATED).getStatus()).isEqualTo("False");
    assertThat(find(stopping, ConditionType.HIBERNATED).getReason()).isEqualTo("Hibernating");
    assertThat(find(stopping, ConditionType.READY).getReason()).isEqualTo("Hibernating");
    assertThat(find(stopping, ConditionType.PROGRESSING).getStatus()).isEqualTo("True");
    assertThat(find(stopping, ConditionType.READY).getMessage()).contains("waiting for renderer");

    List<Condition> asleep = set(s, new HibernationPlan(Step.HIBERNATED, Set.of(Component.DASHBOARD), true, ""),
        true, false, null);
    assertThat(find(asleep, ConditionType.HIBERNATED).getStatus()).isEqualTo("True");
    assertThat(find(asleep, ConditionType.READY).getStatus()).isEqualTo("False");
    assertThat(find(asleep, ConditionType.READY).getReason()).isEqualTo("Hibernated");
    assertThat(find(asleep, ConditionType.PROGRESSING).getStatus()).isEqualTo("False");
    assertThat(find(asleep, ConditionType.DEGRADED).getReason()).isEqualTo("AsExpected");

    List<Condition> waking = set(stack("  hibernation:\n    enabled: false\n"),
        new HibernationPlan(Step.WAKING_DATABASE, Set.of(Component.DASHBOARD), false, "the database"), true, false,
        null);
    assertThat(find(waking, ConditionType.HIBERNATED).getReason()).isEqualTo("Waking");
    assertThat(find(waking, ConditionType.READY).getMessage()).contains("starting the database first");
  }

  @Test
  void aFaultKeepsReadyButHibernatedStillSaysWhereTheStackIs() {
    ResolvedStack s = stack("  hibernation:\n    enabled: true\n");
    List<Condition> c = set(s, new HibernationPlan(Step.STOPPING_APPS, Set.of(Component.DASHBOARD), false,
        "dashboard"), false, false, null);
    assertThat(find(c, ConditionType.HIBERNATED).getReason()).isEqualTo("Hibernating");
    assertThat(find(c, ConditionType.READY)).as("left to the fault").isNull();
  }

  @Test
  void wokenItSaysWakingUntilReadyThenAwake() {
    ResolvedStack s = stack("  hibernation:\n    enabled: false\n");
    Condition waking = new Conditions(null, 1, CLOCK).set(ConditionType.HIBERNATED, false, Reason.WAKING, "w")
        .build().get(0);
    assertThat(find(set(s, HibernationPlan.awake(), true, false, waking), ConditionType.HIBERNATED).getReason())
        .isEqualTo("Waking");
    assertThat(find(set(s, HibernationPlan.awake(), true, true, waking), ConditionType.HIBERNATED).getReason())
        .isEqualTo("Awake");
    assertThat(set(stack(""), HibernationPlan.awake(), true, true, waking)).as("no section: no condition").isEmpty();
  }

  @Test
  void eachStepBeginsWithAnEvent() {
    Conditions c = new Conditions(null, 1, CLOCK);
    Condition hibernating = c.set(ConditionType.HIBERNATED, false, Reason.HIBERNATING, "h").build().get(0);
    Condition asleep = new Conditions(null, 1, CLOCK).set(ConditionType.HIBERNATED, true, Reason.HIBERNATED_STACK, "z")
        .build().get(0);
    assertThat(TransitionEvents.hibernation(null, hibernating))
        .containsExactly(new TransitionEvents.Note(false, "Hibernating", "h"));
    assertThat(TransitionEvents.hibernation(hibernating, hibernating)).isEmpty();
    assertThat(TransitionEvents.hibernation(hibernating, asleep))
        .containsExactly(new TransitionEvents.Note(false, "Hibernated", "z"));
  }
}
