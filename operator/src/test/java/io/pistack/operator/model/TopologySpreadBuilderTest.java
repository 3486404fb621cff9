package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologySpreadBuilderTest {
  @Test
  void scalableComponentsSpreadSoftlyAcrossZonesThenNodes() {
    ResolvedStack stack = TestStacks.resolved(TestStacks.minimal());
    for (Component c : List.of(Component.DASHBOARD, Component.RENDERER, Component.ANALYTICS)) {
      List<TopologySpreadConstraint> tsc = DeploymentBuilder.build(stack, c).getSpec().getTemplate().getSpec()
          .getTopologySpreadConstraints();
      assertThat(tsc).extracting(TopologySpreadConstraint::getTopologyKey)
          .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
      assertThat(tsc).allSatisfy(t -> {
        assertThat(t.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
        assertThat(t.getMaxSkew()).isEqualTo(1);
        assertThat(t.getLabelSelector().getMatchLabels()).isEqualTo(Labels.selector(stack, c.part()));
      });
    }
    for (Component c : List.of(Component.SCHEDULER, Component.EXCEL_READER)) {
      assertThat(DeploymentBuilder.build(stack, c).getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
          .isEmpty();
    }
  }

  @Test
  void aComponentsOwnListReplacesTheDefaultAndAnEmptyOneTurnsItOff() {
    ResolvedStack stack = TestStacks.resolved("  version: \"1\"\n"
        + "  dashboard:\n    topologySpreadConstraints: []\n"
        + "  renderer:\n    topologySpreadConstraints:\n    - maxSkew: 2\n      topologyKey: kubernetes.io/hostname\n"
        + "      whenUnsatisfiable: DoNotSchedule\n      labelSelector:\n        matchLabels: {app.kubernetes.io/component: renderer}\n"
        + "  scheduler:\n    topologySpreadConstraints:\n    - maxSkew: 1\n      topologyKey: topology.kubernetes.io/zone\n"
        + "      whenUnsatisfiable: ScheduleAnyway\n");
    assertThat(TopologySpreadBuilder.forComponent(stack, Component.DASHBOARD)).isEmpty();
    assertThat(TopologySpreadBuilder.forComponent(stack, Component.RENDERER)).singleElement().satisfies(t -> {
      assertThat(t.getMaxSkew()).isEqualTo(2);
      assertThat(t.getWhenUnsatisfiable()).isEqualTo("DoNotSchedule");
    });
    assertThat(TopologySpreadBuilder.forComponent(stack, Component.SCHEDULER)).singleElement()
        .satisfies(t -> assertThat(t.getTopologyKey()).isEqualTo("topology.kubernetes.io/zone"));
    assertThat(TopologySpreadBuilder.forComponent(stack, Component.ANALYTICS)).hasSize(2);
  }
}
