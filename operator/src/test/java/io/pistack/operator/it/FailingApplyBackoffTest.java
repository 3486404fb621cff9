package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.server.mock.SsaCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import io.pistack.operator.reconciler.PiStackReconciler;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failed apply backs off. During a drained upgrade the operator looks again every 2 s (the drain
 * moves on without an event it could wait for); when the apply itself is refused (here: every
 * operator PATCH of a Deployment gets 403), that recheck must not turn into a reconcile every 2 s
 * for ever: the delay doubles from 2 s (ErrorBackoff), and the unchanged failure is written once.
 */
class FailingApplyBackoffTest {
  static final String NS = "backoff";
  static final Duration WINDOW = Duration.ofSeconds(20);
  final AtomicBoolean refuseDeployments = new AtomicBoolean();
  final MockCluster cluster = new MockCluster(new SsaCrudDispatcher() {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (refuseDeployments.get() && "PATCH".equals(request.getMethod())
          && MockCluster.OPERATOR_USER_AGENT.equals(request.getHeader("User-Agent"))
          && request.getPath().contains("/namespaces/" + NS + "/deployments/")) {
        return new MockResponse().setResponseCode(403).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
            + "\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403,\"message\":\"forbidden\"}");
      }
      return super.dispatch(request);
    }
  });

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aRefusedApplyDuringADrainedUpgradeIsRetriedWithAGrowingDelay() {
    cluster.startOperator();
    Stacks.licenceSecret(cluster.client, NS);
    cluster.client.resource(Stacks.sample("minimal.yaml", NS)).create();
    Kubelet.markAvailableOnceCreated(cluster.client, NS, 5);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "True".equals(ready().getStatus()));

    refuseDeployments.set(true);
    Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().version = "2026_01.0");
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      assertThat(ready().getReason()).isEqualTo("ReconcileFailed");
      assertThat(ready().getMessage()).contains("deployments").contains("403");
      // The dashboard still runs the old version while spec.version is new: a drain is under way
      // (DrainDecision), the phase that rechecks every 2 s.
      assertThat(cluster.client.apps().deployments().inNamespace(NS).withName("pi-dashboard").get().getMetadata()
          .getLabels()).containsEntry("app.kubernetes.io/version", "2025_10.1");
    });

    double before = cluster.completedReconciles();
    long statusWrites = statusWrites();
    await().pollDelay(WINDOW).atMost(WINDOW.plusSeconds(5)).until(() -> true);
    double reconciles = cluster.completedReconciles() - before;
    System.out.printf("FailingApplyBackoffTest: %.0f reconciles in %s of a refused apply during a drain%n", reconciles,
        WINDOW);
    // 2 s rechecks would make about 10; the back-off (2, 4, 8, 16 s) makes 2 to 4.
    assertThat(reconciles).as("reconciles in %s of a persistent failure", WINDOW).isBetween(1.0, 5.0);
    assertThat(statusWrites()).as("the unchanged failure is not written again").isEqualTo(statusWrites);
    assertThat(ready().getReason()).isEqualTo("ReconcileFailed");

    // The user edits the spec (perhaps the fix; here it still fails): the back-off, grown to 32 s or
    // more, starts again, so the next attempt comes 2 s after the edit's reconcile, not 32 s later.
    // The edit touches only the Deployments' pod template (refused): no other child changes, so no
    // child event brings a reconcile; only the back-off's 2 s retry can (and then 4 s later).
    Stacks.edit(cluster.client, NS, "pi", s -> {
      if (s.getSpec().dashboard == null) {
        s.getSpec().dashboard = new io.pistack.operator.api.v1alpha1.DashboardSpec();
      }
      s.getSpec().dashboard.podAnnotations = java.util.Map.of("edited", "1");
    });
    long generation = stack().getMetadata().getGeneration();
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.reconciles().completedAtGeneration(NS, "pi", generation));
    long mark = System.nanoTime() + Duration.ofSeconds(1).toNanos();
    await().atMost(Duration.ofSeconds(8)).until(() -> cluster.reconciles().completedSince(NS, "pi", mark));
    assertThat(ready().getReason()).isEqualTo("ReconcileFailed");
  }

  /**
   * A stack deleted while its apply keeps failing leaves no failure count behind (the reconciler has
   * no Cleaner: its DeletedStacks event source hears the delete).
   */
  @Test
  void aStackDeletedWhileFailingKeepsNoCount() {
    cluster.startOperator();
    PiStackReconciler reconciler = (PiStackReconciler) ((io.javaoperatorsdk.operator.processing.Controller<PiStack>)
        cluster.runtime().controller()).getReconciler();
    refuseDeployments.set(true);
    Stacks.licenceSecret(cluster.client, NS);
    cluster.client.resource(Stacks.sample("minimal.yaml", NS)).create();
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
      assertThat(ready().getReason()).isEqualTo("ReconcileFailed");
      assertThat(ready().getMessage()).contains("deployments").contains("403");
    });
    assertThat(reconciler.failingStacks()).as("the failing stack has a count").isEqualTo(1);

    cluster.client.resource(stack()).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> stack() == null);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
        assertThat(reconciler.failingStacks()).as("counts of stacks failing now").isZero());
  }

  private long statusWrites() {
    return cluster.dispatcher.writes().stream().filter(w -> w.contains("/pistacks/pi/status")).count();
  }

  private PiStack stack() {
    return cluster.client.resources(PiStack.class).inNamespace(NS).withName("pi").get();
  }

  private Condition ready() {
    return Conditions.find(stack().getStatus().conditions, ConditionType.READY.wire());
  }
}
