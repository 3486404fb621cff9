package io.pistack.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.health.HealthConfig;
import io.pistack.operator.it.MockCluster;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.metrics.OperatorMetrics;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A PiStack deleted while its reconcile runs leaves no metric series behind. JOSDK hands the delete on at once (its
 * cleanup, {@link OperatorMetrics#forgetStack}), also during a reconcile of that stack, and the reconcile then
 * recorded the stack's series again: {@code pi_operator_component_healthy{...} 0} of a stack that no longer exists,
 * until the next restart (an alert on it would fire for ever). Found as {@code RuntimeEndpointsTest
 * .aDeletedStacksSeriesDisappear} failing under load (clean-clone run ci7, then 1 run in 3 at load ~15). Here the
 * race is forced: the operator's client holds the reconcile's first Deployment apply until the deletion has been
 * handed on, then lets it finish.
 */
class DeletedDuringReconcileTest {
  static final String NS = "race";

  /** Counts the cleanups and the stack's series recorded after the first one. */
  static final class Recorded extends OperatorMetrics {
    final AtomicInteger forgotten = new AtomicInteger();
    final AtomicInteger recordedAfter = new AtomicInteger();

    @Override
    public void forgetStack(String namespace, String name) {
      super.forgetStack(namespace, name);
      forgotten.incrementAndGet();
    }

    @Override
    public void stackReady(String namespace, String name, boolean ready) {
      super.stackReady(namespace, name, ready);
      if (forgotten.get() > 0) {
        recordedAfter.incrementAndGet();
      }
    }
  }

  @Test
  void aStackDeletedWhileItsReconcileRunsLeavesNoSeriesBehind() throws Exception {
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean once = new AtomicBoolean();
    // Held in the operator's client, on the reconcile's own thread (the mock server answers one request at a time).
    Interceptor hold = new Interceptor() {
      @Override
      public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
        if ("PATCH".equals(request.method())
            && request.uri().getPath().startsWith("/apis/apps/v1/namespaces/" + NS + "/deployments/")
            && once.compareAndSet(false, true)) {
          held.countDown();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
    Recorded metrics = new Recorded();
    try (MockCluster cluster = new MockCluster()) {
      KubernetesClient operatorClient = new KubernetesClientBuilder()
          .withConfig(cluster.operatorClient().getConfiguration())
          .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("hold", hold)).build();
      OperatorRuntime runtime = OperatorRuntime.builder(operatorClient,
          RuntimeConfig.defaults().withHealth(HealthConfig.disabled()).withHttpPort(0)).metrics(metrics).build().start();
      try {
        Stacks.licenceSecret(cluster.client, NS);
        cluster.client.resource(Stacks.sample("minimal.yaml", NS)).create();
        assertThat(held.await(60, TimeUnit.SECONDS)).as("the reconcile reached its first Deployment").isTrue();
        cluster.client.resources(PiStack.class).inNamespace(NS).withName("pi").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.forgotten.get() > 0); // handed on, mid-reconcile
        release.countDown();
        // The held reconcile goes on and records the stack's series after the cleanup (on the code before the fix
        // they stayed): it must have done so before "nothing left" can mean anything.
        await().atMost(Duration.ofSeconds(30)).until(() -> metrics.recordedAfter.get() > 0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(metrics.scrape().lines()
            .filter(l -> l.contains("namespace=\"" + NS + "\""))).as("the deleted stack's series").isEmpty());
      } finally {
        release.countDown();
        runtime.stop();
      }
    }
  }
}
