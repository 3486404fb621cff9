package io.pistack.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.Observed;
import io.pistack.operator.desired.LiveChildren;
import io.pistack.operator.metrics.OperatorMetrics;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.MaintenancePageDecision;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.UpgradeDecision;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plan under the maintenance windows now, and the gauge of the stacks whose change waits for one. */
class WindowGateTest {
  static final String OLD = "2025_10.1";
  static final String NEW = "2026_01.0";
  /** Outside the stack's window (daily 02:00 for 1h UTC). */
  final Clock noon = Clock.fixed(Instant.parse("2026-01-15T12:00:00Z"), ZoneOffset.UTC);
  final OperatorMetrics metrics = new OperatorMetrics();
  final WindowGate gate = new WindowGate(noon, metrics);

  @Test
  void aVersionChangeOutsideTheWindowWaitsAndIsCountedUntilItNoLongerWaits() {
    ResolvedStack s = stack();
    LifecyclePlan waits = gate.plan(s, seen(OLD), Optional.empty());
    assertThat(waits.upgrade().phase()).isEqualTo(UpgradeDecision.Phase.WAITING_FOR_WINDOW);
    assertThat(waiting()).isEqualTo(1.0);
    assertThat(gate.plan(s, seen(OLD), Optional.empty()).upgrade().phase())
        .isEqualTo(UpgradeDecision.Phase.WAITING_FOR_WINDOW);
    assertThat(waiting()).as("counted once per stack").isEqualTo(1.0);

    assertThat(gate.plan(s, seen(NEW), Optional.empty()).upgrade().phase())
        .isNotEqualTo(UpgradeDecision.Phase.WAITING_FOR_WINDOW);
    assertThat(waiting()).as("nothing waits any more").isEqualTo(0.0);
  }

  @Test
  void aForgottenStackIsNoLongerCounted() {
    ResolvedStack s = stack();
    gate.plan(s, seen(OLD), Optional.empty());
    gate.forget(ResourceID.fromResource(s.source()));
    assertThat(waiting()).isEqualTo(0.0);
  }

  private double waiting() {
    return metrics.registry().get("pi_operator_changes_waiting_for_window").gauge().value();
  }

  private static ResolvedStack stack() {
    return new ResolvedStack(Serialization.unmarshal("apiVersion: pistack.io/v1alpha1\nkind: PiStack\nmetadata:\n"
        + "  name: pi\n  namespace: ns\nspec:\n  version: \"" + NEW + "\"\n  maintenanceWindows:\n"
        + "  - days: [daily]\n    start: \"02:00\"\n    duration: 1h\n    timeZone: UTC\n", PiStack.class));
  }

  /** The caches before the apply: the dashboard running {@code version}. */
  private static Observed seen(String version) {
    Deployment dashboard = new DeploymentBuilder().withNewMetadata().withName("pi-" + Component.main().part())
        .withLabels(Map.of(Labels.COMPONENT, Component.main().part(), Labels.VERSION, version)).endMetadata()
        .withNewSpec().withReplicas(1).endSpec().build();
    return new Observed(List.of(dashboard), List.of(), Optional.empty(), List.of(),
        new LiveChildren(Map.of(), Optional.empty(), Map.of()), MaintenancePageDecision.Seen.nothing());
  }
}
