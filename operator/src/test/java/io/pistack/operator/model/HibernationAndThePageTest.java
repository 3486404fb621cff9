package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pistack.operator.model.HibernationPlan.Step;
import io.pistack.operator.model.MaintenancePageDecision.Seen;
import io.pistack.operator.model.MaintenancePageDecision.Why;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The pods a hibernated stack keeps (docs/hibernation.md, docs/maintenance-page.md): with the maintenance page off,
 * none; with it on (the default), exactly one, the page's. The page's pod is not a Job's, so it neither holds the
 * database up nor keeps the stack from reaching Hibernated.
 */
class HibernationAndThePageTest {
  static final String ON = HibernationPlanTest.ON;
  static final Set<Component> ALL = HibernationPlanTest.union(HibernationPlanTest.APPS, HibernationPlanTest.OTHERS);

  /** A stack that served (its last status counted a ready dashboard), asked to sleep. */
  static ResolvedStack asleep(String extra) {
    return new ResolvedStack(MaintenancePageDecisionTest.stack("  hibernation: {enabled: true}\n" + extra, 2));
  }

  @Test
  void withoutThePageAHibernatingStackGetsNoPageObjectsSoNoPod() {
    ResolvedStack s = asleep("  maintenancePage: {enabled: false}\n");
    Seen seen = Seen.of(s, Map.of(), Optional.empty());
    MaintenancePageDecision page = MaintenancePageDecision.decide(s, LifecyclePlan.open(s), seen);
    assertThat(page).isEqualTo(MaintenancePageDecision.none());
    assertThat(MaintenancePageBuilder.objects(s, page)).isEmpty();
  }

  @Test
  void withThePageAHibernatingStackRunsOneReplicaOfIt() {
    ResolvedStack s = asleep("");
    MaintenancePageDecision page = MaintenancePageDecision.decide(s, LifecyclePlan.open(s),
        Seen.of(s, Map.of(), Optional.empty()));
    assertThat(page).isEqualTo(new MaintenancePageDecision(true, true, Why.HIBERNATION, false));
    List<HasMetadata> objects = MaintenancePageBuilder.objects(s, page);
    assertThat(objects).filteredOn(o -> o instanceof Deployment).singleElement()
        .satisfies(d -> assertThat(((Deployment) d).getSpec().getReplicas()).isEqualTo(1));
  }

  @Test
  void thePagesPodHoldsNeitherTheDatabaseNorTheHibernatedStep() {
    ResolvedStack s = TestStacks.resolved(ON);
    HibernationPlan db = HibernationPlan.decide(s, HibernationPlanTest.deployments(s, ALL, true, true),
        HibernationPlanTest.database(s, 1, true), HibernationPlanTest.pods("db", "maintenance"));
    assertThat(db.step()).isEqualTo(Step.STOPPING_DATABASE);
    assertThat(db.databaseHeld()).as("the page's pod is no Job's: the database goes to zero").isTrue();

    HibernationPlan asleep = HibernationPlan.decide(s, HibernationPlanTest.deployments(s, ALL, true, true),
        HibernationPlanTest.database(s, 0, false), HibernationPlanTest.pods("maintenance"));
    assertThat(asleep.step()).isEqualTo(Step.HIBERNATED);
  }
}
