package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Service;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.it.Stacks;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The maintenance page on the real control plane (real Deployment, ReplicaSet, Job and EndpointSlice controllers,
 * kwok as the kubelet), every version of the dashboard's Service watched: a restore and a drained upgrade of a
 * running stack point the Service at the page by its selector alone (same uid, same ClusterIP, so an Ingress or a
 * Gateway keeps working) and give it back only once the dashboard has a ready pod of its current template; then the
 * page is removed. A first install that starts with a restore never shows it. The page itself is never requested:
 * the Service's 10.x address is not reachable from the test (MaintenancePageServedTest serves its configuration).
 */
@Tag("slow")
class MaintenancePageOnRealApiTest {
  static final Duration T = RealApiStack.T;
  static final String NEW = "2025_11.1";
  RealApiStack env;
  PageHistory history;

  @BeforeEach
  void start() {
    env = new RealApiStack("page", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"), claim("pi-backups", "10Gi", "ReadWriteOnce"));
  }

  @AfterEach
  void stop() {
    if (history != null) {
      history.close();
    }
    env.close();
  }

  @Test
  void aRestoreOfARunningStackShowsThePageOnTheSameServiceUntilTheDashboardIsReady() {
    env.admin.resource(env.smallStack()).create();
    awaitReady();
    Service before = dashboardService();
    history = new PageHistory(env.admin, env.ns, "pi");

    Stacks.edit(env.admin, env.ns, "pi", s -> {
      s.getSpec().restore = new RestoreSpec();
      s.getSpec().restore.backup = "latest";
    });
    // The page's objects go in one reconcile's apply, the condition in the status that reconcile writes after it:
    // two writes, so the test waits for the status written after the deletion (before, it read the stack between
    // the two and found the condition of the pass before).
    awaitOrDescribe(() -> restored() && pageGone() && history.statusWrittenAfterThePageWent());

    history.assertShownOnTheSameServiceAndHandedBackToAReadyDashboard(before);
    assertThat(history.reasons()).contains("True MaintenanceRestore");
    history.assertNoStatusAfterThePageWentCarriesTheCondition();
    assertThat(PageHistory.condition(env.stack())).as("the condition goes with the page").isNull();
  }

  @Test
  void aDrainedUpgradeShowsThePageUntilTheNewDashboardIsReady() {
    env.admin.resource(env.smallStack()).create();
    awaitReady();
    Service before = dashboardService();
    history = new PageHistory(env.admin, env.ns, "pi");

    Stacks.edit(env.admin, env.ns, "pi", s -> s.getSpec().version = NEW);
    awaitOrDescribe(() -> "AllComponentsReady".equals(env.readyReason())
        && env.image("pi-dashboard").endsWith(":" + NEW) && pageGone() && history.statusWrittenAfterThePageWent());

    history.assertShownOnTheSameServiceAndHandedBackToAReadyDashboard(before);
    assertThat(history.reasons()).contains("True MaintenanceUpgrade");
    history.assertNoStatusAfterThePageWentCarriesTheCondition();
    assertThat(PageHistory.condition(env.stack())).as("the condition goes with the page").isNull();
  }

  @Test
  void aFirstInstallThatStartsWithARestoreNeverShowsThePage() {
    history = new PageHistory(env.admin, env.ns, "pi");
    PiStack s = env.smallStack();
    s.getSpec().restore = new RestoreSpec();
    s.getSpec().restore.backup = "latest";
    env.admin.resource(s).create();
    await().atMost(Duration.ofSeconds(240)).until(this::restored);
    env.awaitConverged();

    history.assertNeverShown();
  }

  /** Waits up to 4 minutes; on a timeout fails with what the stack, its Service and the page looked like. */
  private void awaitOrDescribe(java.util.concurrent.Callable<Boolean> done) {
    try {
      await().atMost(Duration.ofSeconds(240)).until(done);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      PiStack s = env.stack();
      throw new AssertionError("timed out; conditions " + (s.getStatus() == null ? null : s.getStatus().conditions)
          + "; restore " + (s.getStatus() == null || s.getStatus().restore == null ? null
          : s.getStatus().restore.phase + " " + s.getStatus().restore.message) + "; Service versions "
          + history.services() + "; " + history.timeline() + "; page Deployment " + env.deployment("pi-maintenance")
          + "; dashboard status " + env.deployment("pi-dashboard").getStatus() + "; Jobs "
          + env.admin.batch().v1().jobs().inNamespace(env.ns).list().getItems().stream()
          .map(j -> j.getMetadata().getName() + " " + j.getStatus()).toList(), e);
    }
  }

  private void awaitReady() {
    await().atMost(T).until(() -> "AllComponentsReady".equals(env.readyReason()));
  }

  private Service dashboardService() {
    Service s = env.admin.services().inNamespace(env.ns).withName("pi-dashboard").get();
    assertThat(PageHistory.selects(s)).isEqualTo("dashboard");
    assertThat(s.getSpec().getClusterIP()).isNotBlank();
    return s;
  }

  private boolean restored() {
    PiStack s = env.stack();
    return s.getStatus() != null && s.getStatus().restore != null
        && s.getStatus().restore.phase == RestoreStatus.Phase.Succeeded && "AllComponentsReady".equals(env.readyReason());
  }

  /** The page's objects are gone and the Service selects the dashboard. */
  private boolean pageGone() {
    return env.admin.apps().deployments().inNamespace(env.ns).withName("pi-maintenance").get() == null
        && env.admin.configMaps().inNamespace(env.ns).withName("pi-maintenance").get() == null
        && env.admin.network().v1().networkPolicies().inNamespace(env.ns).withName("pi-maintenance").get() == null
        && "dashboard".equals(PageHistory.selects(env.admin.services().inNamespace(env.ns).withName("pi-dashboard")
        .get()));
  }
}
