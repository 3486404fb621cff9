package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.pistack.operator.dependent.Pass;
import io.pistack.operator.health.StackHealth;
import io.pistack.operator.health.UnplacedPods;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The status stage's one decision judges the observe stage's snapshot and says when to look again. */
class StatusDecisionTest {
  private static final Instant NOW = Instant.parse("2026-12-06T20:00:00Z");
  private static final ReferencedSecrets.Check NO_SECRETS_MISSING = new ReferencedSecrets.Check(List.of(), List.of());
  private final StatusDecision decision = new StatusDecision(Clock.fixed(NOW, ZoneOffset.UTC));
  private final ResolvedStack stack = new ResolvedStack(Stacks.sample("minimal.yaml", "ns"));
  private final Pass pass = new Pass(stack, LifecyclePlan.open(stack), List.of(), null);

  @Test
  void aYoungSchedulerVerdictBringsTheNextLookForward() {
    StatusDecision.Decided d = decision.decide(pass, NO_SECRETS_MISSING, List.of(), Optional.empty(),
        Optional.empty(), seen(unplaced(NOW.minusSeconds(5))));
    assertThat(d.status().conditions).isNotEmpty();
    assertThat(d.recheck()).hasValueSatisfying(r -> assertThat(r).isBetween(Duration.ofSeconds(15),
        Duration.ofSeconds(16)));
  }

  @Test
  void aSettledVerdictNeedsNoLookAgainAndTheBackOffWinsOverAYoungOne() {
    assertThat(decision.decide(pass, NO_SECRETS_MISSING, List.of(), Optional.empty(), Optional.empty(),
        seen(unplaced(NOW.minus(UnplacedPods.SETTLE)))).recheck()).isEmpty();
    Optional<Duration> retry = Optional.of(Duration.ofSeconds(30));
    assertThat(decision.decide(pass, NO_SECRETS_MISSING, List.of(), Optional.of("apply failed"), retry,
        seen(unplaced(NOW.minusSeconds(5)))).recheck()).isEqualTo(retry);
  }

  @Test
  void aMissingSecretIsLookedAtAgainSlowly() {
    var missing = new ReferencedSecrets.Check(List.of("Secret ns/licence not found"), List.of());
    assertThat(decision.decide(pass, missing, List.of(), Optional.empty(), Optional.empty(), seen()).recheck())
        .contains(Recheck.RECHECK_MISSING_SECRETS);
  }

  private static Snapshot seen(Pod... pods) {
    return new Snapshot(Map.of(), Optional.empty(), List.of(pods), StackHealth.DISABLED, Optional.empty(), List.of(),
        Map.of());
  }

  private static Pod unplaced(Instant since) {
    return new PodBuilder().withNewMetadata().withName("a").endMetadata().withNewStatus().addNewCondition()
        .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage("0/1 nodes are available: 1 Insufficient cpu.").withLastTransitionTime(since.toString())
        .endCondition().endStatus().build();
  }
}
