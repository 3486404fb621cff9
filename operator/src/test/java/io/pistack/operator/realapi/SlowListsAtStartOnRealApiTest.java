package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, finding 7: a start under load, when the control plane's LISTs time out. The real
 * process ({@code pi-operator run}) starts through a loopback proxy ({@link FaultProxy#slowLists})
 * that, for the first 130 s (past JOSDK's default 2 min sync timeout), holds every LIST but the PiStacks' 3 s and answers it 504 Timeout (what
 * kube-apiserver answers a request that ran out of time): every first LIST of a child kind fails,
 * and so do the retries in that window. The PiStacks list at once, so the stack's reconcile is asked
 * for while the other caches are still empty.
 *
 * <p>The process stays up, reports not ready, reconciles nothing while any cache is unsynced, then
 * becomes ready and reconciles the stack. Before, the first failed LIST failed the start (JOSDK
 * stops on an informer error during start-up) and the process exited with code 1: in a cluster, a
 * pod crash-restarting under the very load that made its LISTs slow.
 */
class SlowListsAtStartOnRealApiTest {
  static final Duration T = RealApiServer.timeout();
  static final Duration DELAY = Duration.ofSeconds(3);
  /** Longer than JOSDK's default cache sync timeout (2 min), after which the start used to fail. */
  static final Duration WINDOW = Duration.ofSeconds(130);

  @Test
  void slowListsAtStartLeaveTheProcessUpAndNotReadyUntilSyncedThenItReconciles() throws Exception {
    RealApiServer api = RealApiServer.get();
    String ns = "slowlists-" + System.nanoTime() % 100000;
    Path dir = Files.createDirectories(Path.of("target", "slowlists").toAbsolutePath());
    // fabric8 retries a 5xx LIST itself (10 times, 100 ms doubling): a short window only delays the start.
    try (KubernetesClient admin = api.client();
         FaultProxy proxy = new FaultProxy(api, FaultProxy.Faults.NONE, 23)) {
      admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      try {
        Stacks.licenceSecret(admin, ns);
        admin.resource(RealApiStack.smallStack(ns, "pi")).create();
        URI server = URI.create(io.fabric8.kubernetes.client.Config.fromKubeconfig(api.kubeconfig()).getMasterUrl());
        Path kubeconfig = dir.resolve("proxy-kubeconfig");
        Files.writeString(kubeconfig, api.kubeconfig().replace("127.0.0.1:" + server.getPort(),
            proxy.url().substring("https://".length())));

        proxy.slowLists(r -> !r.resource().startsWith("pistacks"), DELAY, WINDOW);
        long begin = System.nanoTime();
        try (OperatorProcess op = new OperatorProcess(dir, "slow-lists", kubeconfig, ns, "slow", Map.of())) {
          // Within the window, past the first LISTs' timeout: up, not ready, nothing reconciled.
          List<String> seen = new ArrayList<>();
          while (System.nanoTime() - begin < WINDOW.minusSeconds(2).toNanos()) {
            String readyz = op.readyz();
            double started = op.started();
            seen.add((System.nanoTime() - begin) / 1_000_000 + " ms: " + readyz + ", reconciles started " + started);
            assertThat(op.alive()).as("the process is up %d ms into the slow LISTs, see %s",
                (System.nanoTime() - begin) / 1_000_000, op.log).isTrue();
            if (!readyz.equals("down")) {
              assertThat(readyz).as("not ready while caches are unsynced").startsWith("503");
              assertThat(started).as("reconciles started before every cache synced").isLessThanOrEqualTo(0);
            }
            Thread.sleep(1000);
          }
          assertThat(proxy.injected().getOrDefault(FaultProxy.Kind.SLOW_LIST, 0)).as("LISTs held (requests: %s; samples: %s)", proxy.requests(), seen).isPositive();

          // After the window: ready, and the stack reconciled.
          await().atMost(T.plus(DELAY)).until(op::ready);
          long readyAfter = (System.nanoTime() - begin) / 1_000_000;
          await().atMost(T).until(() -> {
            PiStack s = admin.resources(PiStack.class).inNamespace(ns).withName("pi").get();
            return s.getStatus() != null
                && Objects.equals(s.getStatus().observedGeneration, s.getMetadata().getGeneration());
          });
          System.out.printf("%nslow LISTs at start: %d LISTs held %d s and timed out; ready after %d ms; samples:%n  %s%n%n",
              proxy.injected().get(FaultProxy.Kind.SLOW_LIST), DELAY.toSeconds(), readyAfter,
              String.join("\n  ", seen));
          assertThat(op.alive()).isTrue();
          // Every LIST of a child kind in the window failed: the caches synced from LISTs retried after it.
          assertThat(proxy.requests().get("list")).as("LISTs sent (%s held and failed)",
              proxy.injected().get(FaultProxy.Kind.SLOW_LIST)).isGreaterThan(proxy.injected().get(FaultProxy.Kind.SLOW_LIST));
        }
      } finally {
        admin.namespaces().withName(ns).delete();
      }
    }
  }
}
