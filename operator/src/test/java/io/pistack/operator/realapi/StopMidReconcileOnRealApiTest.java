package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Quiet;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.runtime.RuntimeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Issue 23, finding 7: the operator stopped (its programmatic stop, which SIGTERM's shutdown hook
 * calls) while a reconcile is in flight. The reconcile of stack "a" is parked at its first write
 * (a hook in the operator's client) before the stop begins; during the stop stack "b" gets a change
 * that needs writes; the parked write is let go half a second into the stop. Then: every write sent
 * after the stop began is a's (its reconcile's own finishing writes), none is sent after the first
 * informer stopped, b got nothing (and the next start does b's work, so b had work to do).
 *
 * <p>On JOSDK 5.2.3 alone the stop stopped the informers first and only then waited for running
 * reconciles: a's reconcile went on writing from caches no longer updated (how a drained upgrade
 * once created two new-version dashboards).
 */
class StopMidReconcileOnRealApiTest {
  static final Duration T = RealApiStack.T;
  /** How far into the stop the parked write is let go: well inside the 2 s the stop gives reconciles. */
  static final Duration RELEASE_AFTER = Duration.ofMillis(500);

  @Test
  void aStopLetsTheRunningReconcileFinishBeforeTheInformersStopAndStartsNoOther() throws Exception {
    Hold hold = new Hold();
    RealApiStack.OperatorSetup setup = (admin, ns, interceptors) -> Map.entry(
        RealApiServer.get().client(new KubernetesClientBuilder().withHttpClientBuilderConsumer(b -> {
          b.addOrReplaceInterceptor("hold", hold);
          interceptors.accept(b);
        })), RuntimeConfig.defaults().withWatchNamespaces(Set.of(ns)));
    try (RealApiStack env = new RealApiStack("stopmid", setup, claim("a-shared", "5Gi", "ReadWriteMany"),
        claim("data-a-db-0", "10Gi", "ReadWriteOnce"), claim("b-shared", "5Gi", "ReadWriteMany"),
        claim("data-b-db-0", "10Gi", "ReadWriteOnce"))) {
      for (String name : List.of("a", "b")) {
        env.admin.resource(RealApiStack.smallStack(env.ns, name)).create();
      }
      await().atMost(T.multipliedBy(2)).until(() -> converged(env, "a") && converged(env, "b"));
      Quiet.untilUnchangedFor(Duration.ofSeconds(3), T, env.operatorWrites::mark);

      // a's next reconcile parks at its first write.
      hold.arm(w -> w.contains("/a-") || w.contains("/pistacks/a/"));
      long edited = System.nanoTime();
      Stacks.edit(env.admin, env.ns, "a", p -> p.getSpec().dashboard.replicas = 3);
      assertThat(hold.parked.await(T.toMillis(), TimeUnit.MILLISECONDS)).as("a's reconcile reached its first write")
          .isTrue();
      assertThat(env.reconciles().completedSince(env.ns, "a", edited)).as("a's reconcile is still running").isFalse();
      System.out.println("in flight: " + hold.parkedAt + " on thread " + hold.parkedThread);

      // The stop begins; the informers' end is watched from beside it.
      AtomicLong informersStopped = new AtomicLong();
      List<String> watchErrors = new CopyOnWriteArrayList<>();
      Thread watcher = new Thread(() -> {
        while (informersStopped.get() == 0) {
          try {
            if (anInformerStopped(env)) {
              informersStopped.set(System.nanoTime());
            }
          } catch (RuntimeException e) {
            // JOSDK's stop clears an event source's informer cache (its informers can no longer be read):
            // stopped. Before the stop they always read (the 2 stacks above converged while they did).
            watchErrors.add(e.toString());
            informersStopped.compareAndSet(0, System.nanoTime());
          }
          Thread.onSpinWait();
        }
      }, "informer-watch");
      watcher.setDaemon(true);
      watcher.start();
      long stopBegan = System.nanoTime();
      Thread stopper = new Thread(env::stopOperator, "stop");
      stopper.start();
      Stacks.edit(env.admin, env.ns, "b", p -> p.getSpec().dashboard.replicas = 3);
      Thread.sleep(RELEASE_AFTER.toMillis());
      hold.release();
      stopper.join(Duration.ofSeconds(20).toMillis());
      assertThat(stopper.isAlive()).as("the stop ended").isFalse();
      await().atMost(Duration.ofSeconds(5)).until(() -> informersStopped.get() != 0);

      List<Write> afterStop = hold.writes.stream().filter(w -> w.nanos() - stopBegan > 0).toList();
      List<Write> afterInformers = afterStop.stream().filter(w -> w.nanos() - informersStopped.get() > 0).toList();
      boolean aFinished = converged(env, "a") && env.admin.apps().deployments().inNamespace(env.ns)
          .withName("a-dashboard").get().getSpec().getReplicas() == 3;
      System.out.printf("%nstop mid-reconcile: informers stopped %d ms after the stop began (%s); a's reconcile %s;"
              + " writes after the stop began (ms from it): %s%n%n",
          (informersStopped.get() - stopBegan) / 1_000_000, watchErrors.isEmpty() ? "seen not running"
              : "unreadable: " + watchErrors.get(0), aFinished ? "completed" : "abandoned",
          afterStop.stream().map(w -> (w.nanos() - stopBegan) / 1_000_000 + " " + w.request()).toList());

      assertThat(afterStop).as("writes after the stop began").isNotEmpty()
          .allSatisfy(w -> assertThat(w.request()).as("a write after the stop began is a's (or its Event)")
              .matches(r -> r.contains("/a-") || r.contains("/pistacks/a/") || r.contains("/events")));
      assertThat(afterInformers).as("writes sent after an informer had stopped").isEmpty();
      assertThat(env.admin.apps().deployments().inNamespace(env.ns).withName("b-dashboard").get().getSpec()
          .getReplicas()).as("b's change was not acted on during the stop").isEqualTo(2);

      // b's change needed writes: the next start makes them.
      hold.writes.clear();
      env.startOperator();
      await().atMost(T).until(() -> env.admin.apps().deployments().inNamespace(env.ns).withName("b-dashboard")
          .get().getSpec().getReplicas() == 3);
      assertThat(hold.writes).as("the next start's writes").anyMatch(w -> w.request().contains("/b-dashboard"));
    }
  }

  private static boolean converged(RealApiStack env, String name) {
    PiStack s = env.admin.resources(PiStack.class).inNamespace(env.ns).withName(name).get();
    return s != null && s.getStatus() != null
        && Objects.equals(s.getStatus().observedGeneration, s.getMetadata().getGeneration())
        && env.reconciles().completedAtGeneration(env.ns, name, s.getMetadata().getGeneration());
  }

  private static boolean anInformerStopped(RealApiStack env) {
    for (io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator<?> i : env.runtime().controller()
        .getControllerHealthInfo().informerEventSourceHealthIndicators().values()) {
      // A stopped event source drops its informers (none listed) or reports one not running.
      if (i.informerHealthIndicators().isEmpty()) {
        return true;
      }
      for (io.javaoperatorsdk.operator.health.InformerHealthIndicator x : i.informerHealthIndicators().values()) {
        if (!x.isRunning()) {
          return true;
        }
      }
    }
    return false;
  }

  record Write(long nanos, String request) {}

  /**
   * On the operator's client: records every write with the moment it is sent, and once armed parks
   * the first matching write (on the thread making it) until released.
   */
  static final class Hold implements Interceptor {
    final List<Write> writes = new CopyOnWriteArrayList<>();
    final CountDownLatch parked = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Predicate<String> which;
    volatile String parkedAt;
    volatile String parkedThread;

    void arm(Predicate<String> which) {
      this.which = which;
    }

    void release() {
      released.countDown();
    }

    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      if ("GET".equals(request.method())) {
        return;
      }
      String w = request.method() + " " + request.uri().getPath();
      Predicate<String> p = which;
      if (p != null && p.test(w) && parked.getCount() > 0) {
        which = null;
        parkedAt = w;
        parkedThread = Thread.currentThread().getName();
        parked.countDown();
        try {
          released.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      writes.add(new Write(System.nanoTime(), w));
    }
  }
}
