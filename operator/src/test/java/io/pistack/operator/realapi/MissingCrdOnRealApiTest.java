package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pistack.operator.health.HealthConfig;
import io.pistack.operator.runtime.OperatorRuntime;
import io.pistack.operator.runtime.RuntimeConfig;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An operator started on a cluster that lacks one of its CRDs (a chart upgrade without `kubectl apply -f crds/`, as
 * helm upgrade never updates CRDs) fails its start at once with a sentence naming the missing kind and what to do,
 * instead of retrying "Not Found" until the cache-sync timeout and failing on an informer's name. The same operator
 * starts once the CRD is applied, so the refusal was about the CRD and nothing else.
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
  void withoutThePiBackupCrdTheStartFailsAtOnceNamingItThenStartsOnceItIsApplied() throws Exception {
    RuntimeConfig config = RuntimeConfig.defaults().withHealth(HealthConfig.disabled()).withHttpPort(0)
        .withCacheSyncTimeout(Duration.ofMinutes(2));
    long begin = System.nanoTime();
    OperatorRuntime refused = OperatorRuntime.builder(api.client(), config).build();
    assertThatThrownBy(refused::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not serve pibackups.pistack.io (pistack.io/v1alpha1)")
        .hasMessageContaining("kubectl apply --server-side --force-conflicts -f helm/pi-operator/crds/")
        .hasMessageNotContaining("pistacks.pistack.io");
    assertThat(Duration.ofNanos(System.nanoTime() - begin)).as("failed at once, not after the cache-sync timeout")
        .isLessThan(Duration.ofSeconds(30));
    refused.stop();

    api.installCrd("crds/pibackups.pistack.io-v1.yml");
    OperatorRuntime started = OperatorRuntime.builder(api.client(), config).build().start();
    try {
      var readyz = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + started.httpPort() + "/readyz")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(readyz.statusCode()).as("ready with both CRDs: %s", readyz.body()).isEqualTo(200);
    } finally {
      started.stop();
    }
  }
}
