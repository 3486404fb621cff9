package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.UpgradeSpec;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.Labels;
import io.pistack.operator.status.ConditionType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Version upgrades on the real control plane (real Deployment, ReplicaSet and HPA controllers, kwok
 * as the kubelet), with every pod event of the namespace watched through the upgrade: the drained
 * upgrade never runs pods of two versions of the dashboard or scheduler at once and lets exactly one
 * new dashboard run alone until it is Ready; the rolling strategy does run them side by side.
 */
@Tag("slow")
class UpgradeDrainOnRealApiTest {
  static final Duration T = RealApiStack.T;
  static final String OLD = "2025_10.1";
  static final String NEW = "2025_11.1";
  RealApiStack env;
  PodHistory history;

  @BeforeEach
  void start() {
    env = new RealApiStack("drain", claim("pi-shared", "5Gi", "ReadWriteMany"), claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
  }

  @AfterEach
  void stop() {
    if (history != null) {
      history.close();
    }
    env.close();
  }

  @Test
  void aDrainedUpgradeOfThreeDashboardsNeverRunsTwoVersionsAndMigratesWithOneDashboardAlone() {
    PiStack s = env.smallStack();
    s.getSpec().dashboard.replicas = 3;
    env.admin.resource(s).create();
    awaitReady();
    history = new PodHistory(env);

    Stacks.edit(env.admin, env.ns, "pi", p -> p.getSpec().version = NEW);
    awaitUpgraded(3);

    history.assertNeverTwoVersions();
    history.assertOneNewDashboardAloneUntilReady();
    assertThat(history.seenNew("dashboard")).as("new dashboard pods created").isGreaterThanOrEqualTo(3);
    assertThat(eventReasons()).contains("UpgradeDraining", "UpgradeMigrating", "UpgradeMigrated");
  }

  @Test
  void anAutoscaledDashboardIsHeldOffDuringTheDrainAndEndsAtTheAutoscalersMinimum() {
    PiStack s = env.smallStack();
    s.getSpec().dashboard.replicas = null;
    s.getSpec().dashboard.autoscaling = new AutoscalingSpec();
    s.getSpec().dashboard.autoscaling.enabled = true;
    s.getSpec().dashboard.autoscaling.minReplicas = 2;
    s.getSpec().dashboard.autoscaling.maxReplicas = 5;
    env.admin.resource(s).create();
    awaitReady();
    await().atMost(T).until(() -> Integer.valueOf(2).equals(env.deployment("pi-dashboard").getSpec().getReplicas())
        && "AllComponentsReady".equals(env.readyReason()));
    history = new PodHistory(env);

    Stacks.edit(env.admin, env.ns, "pi", p -> p.getSpec().version = NEW);
    // The drain takes the HPA away (it would scale the drained dashboard back up) ...
    await().atMost(T).until(() -> hpa() == null);
    awaitUpgraded(2);
    // ... and gives it back; the Deployment restarts at the autoscaler's minimum, not at the one
    // migrating dashboard.
    await().atMost(T).until(() -> hpa() != null);
    assertThat(hpa().getSpec().getMinReplicas()).isEqualTo(2);
    await().pollDelay(Duration.ofSeconds(3)).atMost(T).untilAsserted(() -> {
      assertThat(env.deployment("pi-dashboard").getSpec().getReplicas()).isEqualTo(2);
      assertThat(env.deployment("pi-dashboard").getStatus().getReadyReplicas()).isEqualTo(2);
    });
    history.assertNeverTwoVersions();
    history.assertOneNewDashboardAloneUntilReady();
  }

  @Test
  void aMigrationThatNeverBecomesReadyStopsTheUpgradeAndSaysWhyAcrossAnOperatorRestart() {
    env.admin.resource(env.smallStack()).create();
    awaitReady();
    history = new PodHistory(env);

    // The new dashboard can never be scheduled (no node carries the label): it never becomes Ready.
    Stacks.edit(env.admin, env.ns, "pi", p -> {
      p.getSpec().version = NEW;
      p.getSpec().dashboard.nodeSelector = Map.of("example.com/no-such-node", "true");
      p.getSpec().upgrade = new UpgradeSpec();
      p.getSpec().upgrade.migrationTimeoutSeconds = 60;
    });
    await().atMost(T).until(() -> "UpgradeMigrating".equals(progressingReason())
        || history.seenNew("dashboard") > 0);
    // The operator stops mid-migration and a new one starts: it knows the step from the cluster.
    env.stopOperator();
    env.startOperator();
    await().atMost(Duration.ofSeconds(180)).until(() -> "UpgradeMigrationStuck".equals(env.readyReason()));
    var degraded = condition(ConditionType.DEGRADED.wire());
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo("UpgradeMigrationStuck");
    assertThat(degraded.getMessage()).contains("did not become Ready", "Pending", "Unschedulable",
        "set spec.version to " + OLD);

    // Stopped there: one new dashboard, the others and the scheduler not started, also after a
    // further reconcile (an unrelated edit of a child triggers one; nothing waits on its own).
    env.writesAfter(() -> env.admin.apps().deployments().inNamespace(env.ns).withName("pi-renderer").edit(d -> {
      d.getMetadata().getAnnotations().put("example.com/touched", "yes");
      return d;
    }), w -> !w.contains("/deployments/pi-dashboard") && !w.contains("/deployments/pi-scheduler"));
    assertThat(env.deployment("pi-dashboard").getSpec().getReplicas()).isEqualTo(1);
    assertThat(env.deployment("pi-scheduler").getSpec().getReplicas()).isZero();
    assertThat(history.seenNew("dashboard")).isEqualTo(1);
    assertThat(history.seenNew("scheduler")).isZero();
    history.assertNeverTwoVersions();
    assertThat(eventReasons()).contains("UpgradeMigrationStuck");
  }

  @Test
  void theRollingStrategyRunsBothVersionsSideBySideWhenChosen() {
    PiStack s = env.smallStack();
    s.getSpec().upgrade = new UpgradeSpec();
    s.getSpec().upgrade.strategy = UpgradeSpec.Strategy.Rolling;
    env.admin.resource(s).create();
    awaitReady();
    history = new PodHistory(env);

    Stacks.edit(env.admin, env.ns, "pi", p -> p.getSpec().version = NEW);
    awaitUpgraded(2);
    assertThat(history.maxVersionsAtOnce("dashboard")).as("rolling: old and new dashboards side by side").isEqualTo(2);
    assertThat(history.everZero("dashboard")).as("rolling never drains the dashboard").isFalse();
    assertThat(eventReasons()).doesNotContain("UpgradeDraining");
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private void awaitReady() {
    await().atMost(T).until(() -> "AllComponentsReady".equals(env.readyReason()));
  }

  private void awaitUpgraded(int dashboards) {
    await().atMost(Duration.ofSeconds(240)).until(() -> "AllComponentsReady".equals(env.readyReason())
        && env.image("pi-dashboard").endsWith(":" + NEW) && env.image("pi-scheduler").endsWith(":" + NEW)
        && readyPods("dashboard", NEW) == dashboards && readyPods("scheduler", NEW) == 1);
  }

  private long readyPods(String part, String version) {
    return env.admin.pods().inNamespace(env.ns).withLabel(Labels.COMPONENT, part).list().getItems().stream()
        .filter(p -> version.equals(PodHistory.version(p)) && PodHistory.ready(p)).count();
  }

  private io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler hpa() {
    return env.admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(env.ns).withName("pi-dashboard").get();
  }

  private String progressingReason() {
    var c = condition(ConditionType.PROGRESSING.wire());
    return c == null ? null : c.getReason();
  }

  private io.fabric8.kubernetes.api.model.Condition condition(String type) {
    PiStack s = env.stack();
    if (s == null || s.getStatus() == null || s.getStatus().conditions == null) {
      return null;
    }
    return s.getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  private List<String> eventReasons() {
    return env.admin.v1().events().inNamespace(env.ns).list().getItems().stream()
        .map(io.fabric8.kubernetes.api.model.Event::getReason).toList();
  }

  /**
   * Every pod event of the namespace, replayed into the set of pods that exist after each one (a
   * terminating pod still runs until it is deleted): what versions of each component ran together.
   */
  static final class PodHistory implements AutoCloseable {
    private final Map<String, Pod> live = new LinkedHashMap<>();
    private final List<Map<String, Pod>> snapshots = new ArrayList<>();
    private final Set<String> initial;
    private final Watch watch;

    PodHistory(RealApiStack env) {
      var list = env.admin.pods().inNamespace(env.ns).list();
      list.getItems().forEach(p -> live.put(p.getMetadata().getName(), p));
      initial = Set.copyOf(live.keySet());
      snapshots.add(Map.copyOf(live));
      watch = env.admin.pods().inNamespace(env.ns).withResourceVersion(list.getMetadata().getResourceVersion())
          .watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Pod pod) {
              synchronized (PodHistory.this) {
                if (action == Action.DELETED) {
                  live.remove(pod.getMetadata().getName());
                } else {
                  live.put(pod.getMetadata().getName(), pod);
                }
                snapshots.add(Map.copyOf(live));
              }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
          });
    }

    static String version(Pod p) {
      String image = p.getSpec().getContainers().get(0).getImage();
      return image.substring(image.lastIndexOf(':') + 1);
    }

    static boolean ready(Pod p) {
      return p.getStatus() != null && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
          .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static List<Pod> of(Map<String, Pod> pods, String part) {
      return pods.values().stream().filter(p -> p.getMetadata().getLabels() != null
          && part.equals(p.getMetadata().getLabels().get(Labels.COMPONENT))).toList();
    }

    synchronized void assertNeverTwoVersions() {
      assertThat(snapshots.size()).as("pod events seen").isGreaterThan(1);
      for (Map<String, Pod> s : snapshots) {
        Set<String> versions = new TreeSet<>();
        of(s, "dashboard").forEach(p -> versions.add(version(p)));
        of(s, "scheduler").forEach(p -> versions.add(version(p)));
        assertThat(versions).as("versions of dashboard and scheduler pods at once: %s",
            s.keySet().stream().sorted().collect(Collectors.joining(", "))).hasSizeLessThanOrEqualTo(1);
      }
    }

    /** Until the first new dashboard is Ready it is the only new pod of the dashboard and scheduler. */
    synchronized void assertOneNewDashboardAloneUntilReady() {
      boolean firstReady = false;
      boolean sawFirst = false;
      for (Map<String, Pod> s : snapshots) {
        List<Pod> newDashboards = of(s, "dashboard").stream().filter(p -> NEW.equals(version(p))).toList();
        List<Pod> newSchedulers = of(s, "scheduler").stream().filter(p -> NEW.equals(version(p))).toList();
        if (!newDashboards.isEmpty() && !firstReady) {
          sawFirst = true;
          assertThat(newDashboards).as("new dashboards before the first is Ready").hasSize(1);
          assertThat(newSchedulers).as("new scheduler before the first dashboard is Ready").isEmpty();
          assertThat(of(s, "dashboard").stream().filter(p -> OLD.equals(version(p)))).as("old dashboards").isEmpty();
          firstReady = ready(newDashboards.get(0));
        }
      }
      assertThat(sawFirst).as("a new dashboard was seen").isTrue();
      assertThat(firstReady).as("the first new dashboard became Ready").isTrue();
    }

    synchronized long seenNew(String part) {
      return snapshots.stream().flatMap(s -> of(s, part).stream()).filter(p -> NEW.equals(version(p)))
          .map(p -> p.getMetadata().getName()).distinct().count();
    }

    synchronized int maxVersionsAtOnce(String part) {
      return snapshots.stream().mapToInt(s -> (int) of(s, part).stream().map(PodHistory::version).distinct().count())
          .max().orElse(0);
    }

    synchronized boolean everZero(String part) {
      return snapshots.stream().anyMatch(s -> of(s, part).isEmpty());
    }

    Set<String> initial() {
      return initial;
    }

    @Override
    public void close() {
      watch.close();
    }
  }
}
