package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.model.MaintenancePageDecision.Seen;
import io.pistack.operator.model.MaintenancePageDecision.Why;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When the maintenance page shows: only for a stack that served before, while a drained upgrade, a restore or
 * hibernation holds the dashboard down, and until the dashboard is Ready again; the Service is handed back in a
 * pass of its own. Everything is read from the cluster, so the same inputs give the same answer after a restart.
 */
class MaintenancePageDecisionTest {
  static final Seen NOTHING = Seen.nothing();
  /** The dashboard is Ready, no page exists. */
  static final Seen RUNNING = new Seen(true, false, false, false, false);

  static PiStack stack(String extra, Integer dashboardReadyInLastStatus) {
    PiStack s = TestStacks.of("  version: \"2025_10.1\"\n" + extra);
    if (dashboardReadyInLastStatus != null) {
      s.setStatus(new PiStackStatus());
      ComponentStatus d = new ComponentStatus();
      d.readyReplicas = dashboardReadyInLastStatus;
      s.getStatus().components.put("dashboard", d);
    }
    return s;
  }

  static LifecyclePlan restoring(ResolvedStack s) {
    return new LifecyclePlan(UpgradeDecision.decide(s, Optional.of(s.version()), true, Optional.empty()),
        new RestoreDecision(RestoreStatus.Phase.Pending, null, "pi-restore-1", false, true, "waiting",
            Optional.empty()));
  }

  static LifecyclePlan draining(ResolvedStack s) {
    return new LifecyclePlan(UpgradeDecision.decide(s, Optional.of(s.version()), true, Optional.empty()),
        RestoreDecision.none(), new DrainDecision(DrainDecision.Step.DRAINING, "2025_09.1", s.version(), null));
  }

  static LifecyclePlan open(ResolvedStack s) {
    return LifecyclePlan.open(s);
  }

  @Test
  void aFirstInstallNeverGetsThePageEvenWhileItsRestoreHoldsTheDashboard() {
    ResolvedStack fresh = new ResolvedStack(stack("", null));
    assertThat(MaintenancePageDecision.decide(fresh, restoring(fresh), NOTHING)).isEqualTo(MaintenancePageDecision.none());
    // A status that never counted a ready dashboard is still a first install.
    ResolvedStack neverReady = new ResolvedStack(stack("", 0));
    assertThat(MaintenancePageDecision.decide(neverReady, restoring(neverReady), NOTHING).objects()).isFalse();
    assertThat(MaintenancePageDecision.decide(neverReady, draining(neverReady), NOTHING).objects()).isFalse();
  }

  @Test
  void aRestoreOfAStackThatServedShowsThePageOnceItsPodIsReady() {
    ResolvedStack s = new ResolvedStack(stack("", 2));
    // The dashboard still serves and the page's pod is not ready: the page starts, the Service stays.
    MaintenancePageDecision starting = MaintenancePageDecision.decide(s, restoring(s), RUNNING);
    assertThat(starting).isEqualTo(new MaintenancePageDecision(true, false, Why.RESTORE, false));
    // The page's pod is ready: the Service selects it.
    assertThat(MaintenancePageDecision.decide(s, restoring(s), new Seen(true, true, true, false, false)))
        .isEqualTo(new MaintenancePageDecision(true, true, Why.RESTORE, false));
    // The dashboard is down already: nothing to lose by selecting the page at once.
    assertThat(MaintenancePageDecision.decide(s, restoring(s), new Seen(false, true, false, false, false)).selected())
        .isTrue();
  }

  @Test
  void onceThePageExistsItIsTheEvidenceThatTheStackServedAfterTheStatusSaysNotReady() {
    // The status now counts no ready dashboard (the restore stopped it), but the page exists: it stays.
    ResolvedStack s = new ResolvedStack(stack("", 0));
    assertThat(MaintenancePageDecision.decide(s, restoring(s), new Seen(false, true, true, true, false)))
        .isEqualTo(new MaintenancePageDecision(true, true, Why.RESTORE, false));
    // A restarted operator that finds the Service on the page keeps it there, page Deployment or not.
    assertThat(MaintenancePageDecision.decide(s, restoring(s), new Seen(false, false, false, true, false)).selected())
        .isTrue();
  }

  @Test
  void aDrainedUpgradeAndHibernationAreTriggersToo() {
    ResolvedStack s = new ResolvedStack(stack("", 3));
    assertThat(MaintenancePageDecision.decide(s, draining(s), new Seen(false, true, true, true, false)).why())
        .isEqualTo(Why.UPGRADE);
    assertThat(MaintenancePageDecision.decide(s, open(s), new Seen(false, true, true, true, true)).why())
        .isEqualTo(Why.HIBERNATION);
    assertThat(MaintenancePageDecision.decide(s, open(s), RUNNING)).isEqualTo(MaintenancePageDecision.none());
  }

  @Test
  void specHibernationEnabledIsTheHibernationTrigger() {
    ResolvedStack asleep = new ResolvedStack(stack("  hibernation: {enabled: true}\n", 2));
    Seen seen = Seen.of(asleep, java.util.Map.of(), Optional.empty());
    assertThat(seen.hibernating()).isTrue();
    assertThat(MaintenancePageDecision.decide(asleep, open(asleep), seen))
        .isEqualTo(new MaintenancePageDecision(true, true, Why.HIBERNATION, false));
    ResolvedStack awake = new ResolvedStack(stack("  hibernation: {enabled: false}\n", 2));
    assertThat(Seen.of(awake, java.util.Map.of(), Optional.empty()).hibernating()).isFalse();
  }

  @Test
  void afterTheTriggerThePageStaysUntilTheDashboardIsReadyThenTheServiceIsHandedBackBeforeThePageGoes() {
    ResolvedStack s = new ResolvedStack(stack("", 0));
    // Restore done, the dashboard starts: the page stays, still selected.
    assertThat(MaintenancePageDecision.decide(s, open(s), new Seen(false, true, true, true, false)))
        .isEqualTo(new MaintenancePageDecision(true, true, Why.STARTING, false));
    // The dashboard is Ready: the Service goes back, the page still runs for this pass.
    assertThat(MaintenancePageDecision.decide(s, open(s), new Seen(true, true, true, true, false)))
        .isEqualTo(new MaintenancePageDecision(true, false, Why.STARTING, true));
    // The Service selects the dashboard again: the page goes.
    assertThat(MaintenancePageDecision.decide(s, open(s), new Seen(true, true, true, false, false)))
        .isEqualTo(MaintenancePageDecision.none());
  }

  @Test
  void offByTheFieldAndWhileTheDashboardServesHttps() {
    ResolvedStack off = new ResolvedStack(stack("  maintenancePage: {enabled: false}\n", 2));
    assertThat(MaintenancePageDecision.decide(off, restoring(off), new Seen(false, true, true, true, false)))
        .as("switched off: the Service goes back at once, the page goes").isEqualTo(MaintenancePageDecision.none());
    ResolvedStack https = new ResolvedStack(stack(
        "  dashboard: {https: {enabled: true, secretName: pi-dashboard-tls}}\n", 2));
    assertThat(MaintenancePageDecision.decide(https, restoring(https), RUNNING)).isEqualTo(MaintenancePageDecision.none());
    ResolvedStack noDashboard = new ResolvedStack(stack("  dashboard: {enabled: false}\n", 2));
    assertThat(MaintenancePageDecision.decide(noDashboard, restoring(noDashboard), RUNNING).objects()).isFalse();
  }

  /** A Deployment of that part and version (null: no version label), its generation and status. */
  static Deployment deployment(String part, String version, long generation, long observed, int replicas,
      int updated, int ready) {
    return new DeploymentBuilder().withNewMetadata().withName("pi-" + part).withGeneration(generation)
        .withLabels(version == null ? Map.of(Labels.COMPONENT, part)
            : Map.of(Labels.COMPONENT, part, Labels.VERSION, version))
        .endMetadata().withNewStatus().withObservedGeneration(observed).withReplicas(replicas)
        .withUpdatedReplicas(updated).withReadyReplicas(ready).endStatus().build();
  }

  /** What a pass reads with these Deployments, the page's running and the Service on it. */
  static Seen seen(ResolvedStack s, Deployment... live) {
    Map<String, Deployment> byName = new HashMap<>();
    for (Deployment d : live) {
      byName.put(d.getMetadata().getName(), d);
    }
    byName.put("pi-maintenance", deployment("maintenance", null, 1, 1, 1, 1, 1));
    Service service = new ServiceBuilder().withNewMetadata().withName("pi-dashboard").endMetadata()
        .withNewSpec().withSelector(Labels.selector(s, "maintenance")).endSpec().build();
    return Seen.of(s, byName, Optional.of(service));
  }

  /**
   * The pass that releases a drained upgrade (the migrating dashboard Ready on the new version, the scheduler still
   * on the old one) scales the dashboard from its one pod to its count: a new generation. The Service waits until
   * the dashboard's controller has seen that generation and every pod runs the current template, one of them
   * Ready. (Before, the Service went back in the releasing pass itself: the clean-clone CI saw the hand-back while
   * the dashboard's newest generation was not observed.)
   */
  @Test
  void theServiceIsNotHandedBackInThePassThatReleasesADrainedUpgradeNorToADashboardWithAnOldPod() {
    ResolvedStack s = new ResolvedStack(stack("", 0));
    Seen releasing = seen(s, deployment("dashboard", "2025_10.1", 2, 2, 1, 1, 1),
        deployment("scheduler", "2025_09.1", 2, 2, 0, 0, 0));
    assertThat(releasing.dashboardReady()).isFalse();
    assertThat(MaintenancePageDecision.decide(s, open(s), releasing))
        .isEqualTo(new MaintenancePageDecision(true, true, Why.STARTING, false));
    // Next pass: everything on the new version, the dashboard's scale-up not yet seen by its controller.
    assertThat(seen(s, deployment("dashboard", "2025_10.1", 3, 2, 1, 1, 1),
        deployment("scheduler", "2025_10.1", 3, 2, 0, 0, 0)).dashboardReady()).isFalse();
    // Seen, but one of its two pods still runs the template before: not yet.
    assertThat(seen(s, deployment("dashboard", "2025_10.1", 3, 3, 2, 1, 2),
        deployment("scheduler", "2025_10.1", 3, 3, 1, 1, 1)).dashboardReady()).isFalse();
    // Seen, every pod current, one ready: the Service is handed back, the page still running.
    Seen atRest = seen(s, deployment("dashboard", "2025_10.1", 3, 3, 2, 2, 1),
        deployment("scheduler", "2025_10.1", 3, 3, 1, 1, 0));
    assertThat(atRest.dashboardReady()).isTrue();
    assertThat(MaintenancePageDecision.decide(s, open(s), atRest))
        .isEqualTo(new MaintenancePageDecision(true, false, Why.STARTING, true));
  }
}
