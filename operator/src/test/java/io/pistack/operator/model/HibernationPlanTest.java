package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.pistack.operator.model.HibernationPlan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hibernation's step, derived from live objects alone: each group goes to zero once the one before has no pod left
 * (apps, then the other components, then the database), and waking runs the reverse order. The same objects give the
 * same step, whichever operator (a restarted one included) looks at them.
 */
class HibernationPlanTest {
  static final String ON = "  version: \"2025_10.1\"\n  hibernation:\n    enabled: true\n";
  static final String OFF = "  version: \"2025_10.1\"\n";
  static final Set<Component> APPS = Set.of(Component.DASHBOARD, Component.SCHEDULER);
  static final Set<Component> OTHERS = Set.of(Component.ANALYTICS, Component.RENDERER, Component.EXCEL_READER);

  /** Every enabled component's Deployment: those in {@code zero} at zero replicas (marked when {@code asleep}). */
  static List<Deployment> deployments(ResolvedStack s, Set<Component> zero, boolean asleep, boolean ready) {
    List<Deployment> out = new ArrayList<>();
    for (Component c : s.enabledComponents()) {
      Deployment d = DeploymentBuilder.build(s, c);
      boolean atZero = zero.contains(c);
      d.getSpec().setReplicas(atZero ? 0 : 1);
      d.setStatus(new DeploymentStatusBuilder().withReplicas(atZero ? 0 : 1).withReadyReplicas(atZero || !ready ? 0 : 1)
          .build());
      if (atZero && asleep) {
        d.getMetadata().setAnnotations(Map.of(HibernationPlan.ASLEEP, HibernationPlan.ASLEEP_VALUE));
      }
      out.add(d);
    }
    return out;
  }

  static Optional<StatefulSet> database(ResolvedStack s, int replicas, boolean ready) {
    StatefulSet set = StatefulSetBuilder.mariadb(s);
    set.getSpec().setReplicas(replicas);
    set.setStatus(new StatefulSetStatusBuilder().withReplicas(replicas).withReadyReplicas(ready ? replicas : 0).build());
    return Optional.of(set);
  }

  static List<Pod> pods(String... parts) {
    List<Pod> pods = new ArrayList<>();
    for (String part : parts) {
      pods.add(new PodBuilder().withNewMetadata().withName("pi-" + part + "-1").withLabels(Map.of(Labels.COMPONENT, part))
          .endMetadata().withNewStatus().withPhase("Running").endStatus().build());
    }
    return pods;
  }

  static Set<Component> union(Set<Component> a, Set<Component> b) {
    Set<Component> out = new java.util.HashSet<>(a);
    out.addAll(b);
    return out;
  }

  @Test
  void aStackWithoutHibernationIsAwakeAndNothingIsHeld() {
    ResolvedStack s = TestStacks.resolved(OFF);
    HibernationPlan p = HibernationPlan.decide(s, deployments(s, Set.of(), false, true), database(s, 1, true),
        pods("dashboard", "db"));
    assertThat(p.step()).isEqualTo(Step.AWAKE);
    assertThat(p.active()).isFalse();
    assertThat(p.held()).isEmpty();
    // A Deployment at zero for another reason (a restore, a drain, a user's replicas: 0) is not asleep.
    HibernationPlan restoring = HibernationPlan.decide(s, deployments(s, APPS, false, true), database(s, 1, false),
        pods());
    assertThat(restoring.step()).isEqualTo(Step.AWAKE);
  }

  @Test
  void goingToSleepStopsTheAppsFirstWhileTheOthersAndTheDatabaseRun() {
    ResolvedStack s = TestStacks.resolved(ON);
    HibernationPlan p = HibernationPlan.decide(s, deployments(s, Set.of(), false, true), database(s, 1, true),
        pods("dashboard", "scheduler", "renderer", "db"));
    assertThat(p.step()).isEqualTo(Step.STOPPING_APPS);
    assertThat(p.held()).containsExactlyInAnyOrderElementsOf(APPS);
    assertThat(p.databaseHeld()).isFalse();
    assertThat(p.suspendsBackups()).isTrue();
    assertThat(p.waitingFor()).isEqualTo("dashboard, scheduler");
    // The apps' Deployments are at zero already but a pod still terminates: the others wait.
    HibernationPlan terminating = HibernationPlan.decide(s, deployments(s, APPS, true, true), database(s, 1, true),
        pods("scheduler", "renderer", "db"));
    assertThat(terminating.step()).isEqualTo(Step.STOPPING_APPS);
    assertThat(terminating.held()).containsExactlyInAnyOrderElementsOf(APPS);
  }

  @Test
  void theOtherComponentsStopOnceNoAppPodIsLeftThenTheDatabase() {
    ResolvedStack s = TestStacks.resolved(ON);
    HibernationPlan others = HibernationPlan.decide(s, deployments(s, APPS, true, true), database(s, 1, true),
        pods("renderer", "analytics", "excel-reader", "db"));
    assertThat(others.step()).isEqualTo(Step.STOPPING_COMPONENTS);
    assertThat(others.held()).containsExactlyInAnyOrderElementsOf(union(APPS, OTHERS));
    assertThat(others.databaseHeld()).isFalse();

    Set<Component> all = union(APPS, OTHERS);
    HibernationPlan db = HibernationPlan.decide(s, deployments(s, all, true, true), database(s, 1, true), pods("db"));
    assertThat(db.step()).isEqualTo(Step.STOPPING_DATABASE);
    assertThat(db.databaseHeld()).isTrue();
    assertThat(db.waitingFor()).isEqualTo("database");

    HibernationPlan asleep = HibernationPlan.decide(s, deployments(s, all, true, true), database(s, 0, false), pods());
    assertThat(asleep.step()).isEqualTo(Step.HIBERNATED);
    assertThat(asleep.held()).containsExactlyInAnyOrderElementsOf(all);
    assertThat(asleep.databaseHeld()).isTrue();
  }

  @Test
  void theDatabaseWaitsForARunningBackupJobsPod() {
    ResolvedStack s = TestStacks.resolved(ON);
    Set<Component> all = union(APPS, OTHERS);
    List<Pod> pods = pods("db", "backup");
    HibernationPlan p = HibernationPlan.decide(s, deployments(s, all, true, true), database(s, 1, true), pods);
    assertThat(p.step()).isEqualTo(Step.STOPPING_DATABASE);
    assertThat(p.databaseHeld()).as("the database runs until the backup's pod ended").isFalse();
    assertThat(p.waitingFor()).contains("pod pi-backup-1");
    pods.get(1).getStatus().setPhase("Succeeded");
    assertThat(HibernationPlan.decide(s, deployments(s, all, true, true), database(s, 1, true), pods).databaseHeld())
        .isTrue();
  }

  @Test
  void wakingStartsTheDatabaseFirstAndHoldsEverythingAsleepUntilItIsReady() {
    ResolvedStack s = TestStacks.resolved(OFF);
    Set<Component> all = union(APPS, OTHERS);
    HibernationPlan p = HibernationPlan.decide(s, deployments(s, all, true, false), database(s, 0, false), pods());
    assertThat(p.step()).isEqualTo(Step.WAKING_DATABASE);
    assertThat(p.databaseHeld()).isFalse();
    assertThat(p.held()).containsExactlyInAnyOrderElementsOf(all);
    assertThat(p.suspendsBackups()).isTrue();
    // The database started but is not ready yet: still held.
    assertThat(HibernationPlan.decide(s, deployments(s, all, true, false), database(s, 1, false), pods("db")).step())
        .isEqualTo(Step.WAKING_DATABASE);
  }

  @Test
  void onceTheDatabaseIsReadyTheOthersStartAndTheAppsWaitForThem() {
    ResolvedStack s = TestStacks.resolved(OFF);
    Set<Component> all = union(APPS, OTHERS);
    HibernationPlan others = HibernationPlan.decide(s, deployments(s, all, true, false), database(s, 1, true),
        pods("db"));
    assertThat(others.step()).isEqualTo(Step.WAKING_COMPONENTS);
    assertThat(others.held()).containsExactlyInAnyOrderElementsOf(APPS);
    // The others run, not ready yet: the apps still wait.
    HibernationPlan starting = HibernationPlan.decide(s, deployments(s, APPS, true, false), database(s, 1, true),
        pods("db", "renderer"));
    assertThat(starting.step()).isEqualTo(Step.WAKING_COMPONENTS);
    assertThat(starting.held()).containsExactlyInAnyOrderElementsOf(APPS);
    assertThat(starting.waitingFor()).contains("renderer");
    // The others are ready: the apps are let go.
    HibernationPlan apps = HibernationPlan.decide(s, deployments(s, APPS, true, true), database(s, 1, true),
        pods("db", "renderer"));
    assertThat(apps.step()).isEqualTo(Step.WAKING_APPS);
    assertThat(apps.held()).isEmpty();
    // The marks are gone: awake.
    assertThat(HibernationPlan.decide(s, deployments(s, Set.of(), false, true), database(s, 1, true),
        pods("db")).step()).isEqualTo(Step.AWAKE);
  }

  @Test
  void turningItBackOnWhileWakingStopsTheAppsFirstAgain() {
    ResolvedStack s = TestStacks.resolved(ON);
    HibernationPlan p = HibernationPlan.decide(s, deployments(s, APPS, true, false), database(s, 1, true),
        pods("db", "renderer"));
    assertThat(p.step()).isEqualTo(Step.STOPPING_COMPONENTS);
    assertThat(p.held()).containsExactlyInAnyOrderElementsOf(union(APPS, OTHERS));
  }

  @Test
  void anExternalDatabaseIsNeverTouched() {
    ResolvedStack s = TestStacks.resolved(ON + "  database:\n    external:\n      host: db.example.com\n"
        + "      credentialsSecret:\n        name: pi-db\n");
    Set<Component> all = union(APPS, OTHERS);
    HibernationPlan p = HibernationPlan.decide(s, deployments(s, all, true, true), Optional.empty(), pods());
    assertThat(p.step()).isEqualTo(Step.HIBERNATED);
    assertThat(p.databaseHeld()).isFalse();
  }

  @Test
  void theLifecyclePlanHoldsWhatHibernationHoldsAndTheDesiredStackFollows() {
    ResolvedStack s = TestStacks.resolved(ON + "  dashboard:\n    autoscaling:\n      enabled: true\n"
        + "  backup:\n    enabled: true\n");
    Set<Component> all = union(APPS, OTHERS);
    LifecyclePlan plan = LifecyclePlan.decide(s, deployments(s, all, true, true), List.of(), database(s, 1, true),
        pods("db"));
    assertThat(plan.hibernation().step()).isEqualTo(Step.STOPPING_DATABASE);
    assertThat(plan.heldReplicas(Component.DASHBOARD)).contains(0);
    assertThat(plan.heldReplicas(Component.RENDERER)).contains(0);
    var desired = io.pistack.operator.desired.DesiredStacks.of(s, plan,
        io.pistack.operator.desired.LiveChildren.none());
    assertThat(desired.all(io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler.class))
        .as("no autoscaler while hibernation holds the components").isEmpty();
    assertThat(desired.all(Deployment.class)).allSatisfy(d -> {
      assertThat(d.getSpec().getReplicas()).isZero();
      assertThat(d.getMetadata().getAnnotations()).containsEntry(HibernationPlan.ASLEEP, HibernationPlan.ASLEEP_VALUE);
    });
    assertThat(desired.all(StatefulSet.class)).singleElement().satisfies(d -> assertThat(d.getSpec().getReplicas())
        .isZero());
    assertThat(desired.all(io.fabric8.kubernetes.api.model.batch.v1.CronJob.class)).singleElement()
        .satisfies(c -> assertThat(c.getSpec().getSuspend()).isTrue());
  }
}
