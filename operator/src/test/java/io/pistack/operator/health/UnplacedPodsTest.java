package io.pistack.operator.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A pod the scheduler could not place counts as Unschedulable once that has lasted UnplacedPods.SETTLE. */
class UnplacedPodsTest {
  private static final Instant NOW = Instant.parse("2026-12-06T20:00:00Z");

  @Test
  void aVerdictYoungerThanTheSettleTimeIsLeftOutAndARecheckComesWhenItWouldHaveSettled() {
    List<Pod> pods = List.of(unplaced("a", NOW.minusSeconds(5)));
    assertThat(WorkloadIssues.unschedulable("dashboard", UnplacedPods.settled(pods, NOW))).isEmpty();
    assertThat(UnplacedPods.recheck(pods, NOW)).hasValueSatisfying(d ->
        assertThat(d).isBetween(Duration.ofSeconds(15), Duration.ofSeconds(16)));
  }

  @Test
  void aSettledVerdictIsKeptAndNeedsNoRecheck() {
    List<Pod> pods = List.of(unplaced("a", NOW.minus(UnplacedPods.SETTLE)));
    assertThat(WorkloadIssues.unschedulable("dashboard", UnplacedPods.settled(pods, NOW))).isPresent();
    assertThat(UnplacedPods.recheck(pods, NOW)).isEmpty();
  }

  @Test
  void aPlacedPodIsUnchanged() {
    Pod placed = new PodBuilder().withNewMetadata().withName("b").endMetadata().withNewStatus().addNewCondition()
        .withType("PodScheduled").withStatus("True").endCondition().endStatus().build();
    assertThat(UnplacedPods.settled(List.of(placed), NOW)).containsExactly(placed);
    assertThat(UnplacedPods.recheck(List.of(placed), NOW)).isEmpty();
  }

  private static Pod unplaced(String name, Instant since) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus().addNewCondition()
        .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage("0/1 nodes are available: 1 Insufficient cpu.").withLastTransitionTime(since.toString())
        .endCondition().endStatus().build();
  }
}
