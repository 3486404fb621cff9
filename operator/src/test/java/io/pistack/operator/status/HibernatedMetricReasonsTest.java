package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.metrics.OperatorMetrics;
import org.junit.jupiter.api.Test;

/**
 * pi_operator_stack_hibernated from the Hibernated condition: 1 while the stack sleeps (Hibernated) or goes to sleep
 * (Hibernating); 0 while it wakes (a stack that fails to wake must alert), once awake, and without the condition.
 */
class HibernatedMetricReasonsTest {
  static final String SERIES = "pi_operator_stack_hibernated{name=\"pi\",namespace=\"ns\"}";

  @Test
  void oneWhileAsleepOrGoingToSleepZeroOtherwiseAndGoneWithTheStack() {
    PiStack stack = BackupRestoreStatusTest.stack("  version: \"1\"\n");
    OperatorMetrics metrics = new OperatorMetrics();
    StatusMetrics mirror = new StatusMetrics(metrics);

    mirror.record(stack, status(null));
    assertThat(metrics.scrape()).contains(SERIES + " 0.0");
    mirror.record(stack, status(Reason.HIBERNATING));
    assertThat(metrics.scrape()).contains(SERIES + " 1.0");
    mirror.record(stack, status(Reason.HIBERNATED_STACK));
    assertThat(metrics.scrape()).contains(SERIES + " 1.0");
    mirror.record(stack, status(Reason.WAKING));
    assertThat(metrics.scrape()).contains(SERIES + " 0.0");
    mirror.record(stack, status(Reason.HIBERNATED_STACK));
    mirror.record(stack, status(Reason.AWAKE));
    assertThat(metrics.scrape()).contains(SERIES + " 0.0");

    mirror.record(stack, status(Reason.HIBERNATED_STACK));
    metrics.forgetStack("ns", "pi");
    assertThat(metrics.scrape()).doesNotContain("pi_operator_stack_hibernated");
  }

  private static PiStackStatus status(Reason hibernated) {
    PiStackStatus s = new PiStackStatus();
    Conditions c = new Conditions(null, 2, BackupRestoreStatusTest.CLOCK);
    c.set(ConditionType.READY, false, hibernated == null ? Reason.ALL_COMPONENTS_READY : hibernated, "m");
    if (hibernated != null) {
      c.set(ConditionType.HIBERNATED, hibernated == Reason.HIBERNATED_STACK, hibernated, "m");
    }
    s.conditions = c.build();
    return s;
  }
}
