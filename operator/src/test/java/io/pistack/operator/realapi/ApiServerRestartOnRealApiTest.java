package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.status.ConditionType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, fault 4: the API server and etcd killed while the operator builds a new stack (some
 * children applied, not all) and started again on the same ports and data. The operator, never
 * restarted, reports the outage on /readyz while it lasts, is ready again after, converges the
 * stack and reconciles a change made after the restart. /healthz stays 200: the informers run and
 * reconnect by themselves. Detection and recovery times are printed
 * (docs/reliability.md).
 */
@Tag("slow")
class ApiServerRestartOnRealApiTest {
  static final Duration T = RealApiStack.T;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

  @Test
  void theOperatorRidesOutAnApiServerRestartAndReadyzShowsTheOutage() throws Exception {
    RealApiServer api = RealApiServer.get();
    try (RealApiStack env = new RealApiStack("apirestart", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"))) {
      // The API server goes away while the operator builds a new stack (it has applied some of it). Ready before:
      // its first answer says so. (One request with a 2 s timeout, sent the moment the operator had started, went
      // unanswered in time at load 17 in the clean-clone run ci7: "down" is no answer, not an answer.)
      assertThat(answer(env, "/readyz")).isEqualTo("200 ready");
      double reconciles = env.completedReconciles();
      env.admin.resource(env.smallStack()).create();
      await().atMost(T).pollInterval(Duration.ofMillis(50)).until(() -> env.deployment("pi-dashboard") != null);
      long down = System.nanoTime();
      String duringOutage;
      String healthDuringOutage;
      long detected;
      Duration restart;
      try {
        api.stopApiServer();
        await().atMost(T).pollInterval(Duration.ofMillis(100)).until(() -> readyz(env).startsWith("503"));
        detected = System.nanoTime();
        duringOutage = answer(env, "/readyz");
        healthDuringOutage = answer(env, "/healthz");
      } finally {
        restart = api.startApiServer();
      }
      long back = System.nanoTime();
      await().atMost(T).pollInterval(Duration.ofMillis(100)).until(() -> readyz(env).startsWith("200"));
      long readyAgain = System.nanoTime();
      System.out.printf("API server restart: /readyz 503 %d ms after the API server was stopped (%s);"
          + " API server back after %d ms; /readyz 200 again %d ms after it was back%n",
          (detected - down) / 1_000_000, duringOutage, restart.toMillis(), (readyAgain - back) / 1_000_000);
      System.out.println("/healthz during the outage: " + healthDuringOutage);
      assertThat(duringOutage).contains("unhealthy event sources");
      // Alive all along: the informers reconnect by themselves, a restarted pod would gain nothing
      // (before, /healthz was 503 too and the chart's liveness probe restarted the pod after 30 s).
      assertThat(healthDuringOutage).isEqualTo("200 ok");

      // The stack converges, by the same operator. On a timeout the stack's conditions and the database pod's
      // phase are in the failure message (CI of 2026-12-06 once timed out here with no trace of why).
      await().atMost(T).untilAsserted(() -> assertThat(converged(env)).as("converged; conditions %s; pi-db-0 %s",
          env.stack() == null || env.stack().getStatus() == null ? null : env.stack().getStatus().conditions.stream()
              .map(c -> c.getType() + "=" + c.getStatus() + "/" + c.getReason() + ": " + c.getMessage()).toList(),
          java.util.Optional.ofNullable(env.admin.pods().inNamespace(env.ns).withName("pi-db-0").get())
              .map(p -> p.getStatus().getPhase() + " " + p.getStatus().getConditions()).orElse("absent")).isTrue());
      // Counted once the reconcile that wrote the converged status has returned, a moment after the write.
      await().atMost(T).until(() -> env.completedReconciles() > reconciles);
      // A change made after the restart is reconciled.
      Stacks.edit(env.admin, env.ns, "pi", s -> s.getSpec().analytics.replicas = 2);
      await().atMost(T).until(() -> replicas(env, "pi-analytics") == 2 && converged(env));
      assertThat(answer(env, "/readyz")).isEqualTo("200 ready");
    }
  }

  private static int replicas(RealApiStack env, String name) {
    Deployment d = env.deployment(name);
    return d == null || d.getSpec().getReplicas() == null ? -1 : d.getSpec().getReplicas();
  }

  /** Ready, for the current generation. */
  private static boolean converged(RealApiStack env) {
    PiStack s = env.stack();
    return s != null && s.getStatus() != null
        && Objects.equals(s.getStatus().observedGeneration, s.getMetadata().getGeneration())
        && s.getStatus().conditions.stream().anyMatch(c -> ConditionType.READY.wire().equals(c.getType())
            && "AllComponentsReady".equals(c.getReason()));
  }

  /** The first answer {@code path} gives, however long the operator takes to give one on a loaded machine. */
  private static String answer(RealApiStack env, String path) {
    String[] answer = {null};
    await().atMost(T).pollInterval(Duration.ofMillis(200)).until(() -> !(answer[0] = get(env, path)).startsWith("down"));
    return answer[0];
  }

  private static String readyz(RealApiStack env) {
    return get(env, "/readyz");
  }

  private static String get(RealApiStack env, String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + env.httpPort() + path)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() + " " + r.body().strip();
    } catch (IOException e) {
      return "down (" + e + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "down";
    }
  }
}
