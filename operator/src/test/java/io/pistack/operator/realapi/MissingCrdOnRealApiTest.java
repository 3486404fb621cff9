package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.health.HealthConfig;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.runtime.OperatorRuntime;
import io.pistack.operator.runtime.RuntimeConfig;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * An operator started on a cluster that lacks one of its CRDs (a chart upgrade without `kubectl apply -f crds/`, as
 * helm upgrade never updates CRDs) fails its start within seconds with a sentence naming the missing kind and what to do,
 * instead of retrying "Not Found" until the cache-sync timeout and failing on an informer's name. The same operator
 * starts once the CRD is applied, so the refusal was about the CRD and nothing else. It starts even when discovery lists
 * the kind only after the start first asked (a helm install on a fresh cluster: discovery lists a new kind a moment
 * after the CRD is Established), as the start asks again for a few seconds before it refuses.
 */
class MissingCrdOnRealApiTest {
  static RealApiServer api;

  @BeforeAll
  static void controlPlaneWithOnlyThePiStackCrd() throws Exception {
    api = RealApiServer.startEmpty();
    api.installCrd("crds/pistacks.pistack.io-v1.yml");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  void withoutThePiBackupCrdTheStartFailsNamingItThenStartsWhenItIsAppliedInTheSameMoment() throws Exception {
    RuntimeConfig config = RuntimeConfig.defaults().withHealth(HealthConfig.disabled()).withHttpPort(0)
        .withCacheSyncTimeout(Duration.ofMinutes(2));
    long begin = System.nanoTime();
    OperatorRuntime refused = OperatorRuntime.builder(api.client(), config).build();
    assertThatThrownBy(refused::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not serve pibackups.pistack.io (pistack.io/v1alpha1)")
        .hasMessageContaining("kubectl apply --server-side --force-conflicts -f helm/pi-operator/crds/")
        .hasMessageNotContaining("pistacks.pistack.io");
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("refused after the short discovery wait, not after the cache-sync timeout")
        .isLessThan(Duration.ofSeconds(30));
    refused.stop();

    // The CRD comes a moment after the operator's first question to discovery, as discovery lists a new kind a
    // moment after the CRD is Established (a helm install on a fresh cluster starts both at once). That lag is too
    // short to be hit reliably on an idle machine, so the CRD is applied once the operator has found it missing.
    List<String> said = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> log = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        said.add(e.getFormattedMessage());
      }
    };
    Logger servedKinds = (Logger) LoggerFactory.getLogger("io.pistack.operator.runtime.ServedKinds");
    log.start();
    servedKinds.addAppender(log);
    OperatorRuntime started = OperatorRuntime.builder(api.client(), config).build();
    try (KubernetesClient c = api.client()) {
      CompletableFuture<OperatorRuntime> starting = CompletableFuture.supplyAsync(started::start);
      await().atMost(Duration.ofSeconds(5)).failFast("the start ended without waiting", starting::isDone)
          .until(() -> said.stream().anyMatch(m -> m.contains("does not list pibackups.pistack.io")));
      c.resource(Serialization.unmarshal(Files.readString(Stacks.repoRoot().resolve(
          "crds/pibackups.pistack.io-v1.yml")), CustomResourceDefinition.class)).serverSideApply();
      assertThat(starting.get(2, TimeUnit.MINUTES)).as("started, not refused").isSameAs(started);
      assertThat(said).last().asString().contains("lists every kind of pistack.io/v1alpha1 now");
      var readyz = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + started.httpPort() + "/readyz")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(readyz.statusCode()).as("ready with both CRDs: %s", readyz.body()).isEqualTo(200);
    } finally {
      servedKinds.detachAppender(log);
      started.stop();
    }
  }
}
