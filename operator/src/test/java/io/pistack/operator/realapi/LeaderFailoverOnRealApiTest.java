package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.BackupCronJobBuilder;
import io.pistack.operator.status.ConditionType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, fault 3: two real operator processes with leader election on the real API server.
 * kill -9 the leader while two stacks converge and a restore Job it created is running: the
 * standby takes over once the Lease expires, finishes the work, and creates no second Job. Then
 * SIGTERM the new leader: it releases the Lease, and the restarted first replica takes over at once.
 * Takeover and release times are printed (docs/reliability.md).
 */
@Tag("slow")
@Tag("timing") // wall-clock bounds: run alone, after the other classes (operator/pom.xml, docs/testing.md)
class LeaderFailoverOnRealApiTest {
  static final Duration T = RealApiServer.timeout();
  static final Duration LEASE = Duration.ofSeconds(6);
  static final Duration RENEW = Duration.ofSeconds(4);
  static final Duration RETRY = Duration.ofSeconds(1);
  static final String LEASE_NAME = "pi-operator-leader";

  private static KubernetesClient admin;
  private static String ns;
  private static Path dir;
  private static final List<String> volumes = new ArrayList<>();
  private static final List<OperatorProcess> processes = new ArrayList<>();
  /** Every Job ever created in the namespace, by UID: name. */
  private static final Map<String, String> jobsSeen = new ConcurrentHashMap<>();
  /** Every Lease version seen: when (nanoTime) and its holder. */
  private static final List<Object[]> leaseSeen = new CopyOnWriteArrayList<>();
  private static final List<Watch> watches = new ArrayList<>();

  @BeforeAll
  static void cluster() throws Exception {
    RealApiServer api = RealApiServer.get();
    admin = api.client();
    ns = "failover-" + System.nanoTime() % 100000;
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Stacks.licenceSecret(admin, ns);
    for (String stack : List.of("pi", "pj")) {
      volume(stack + "-shared", "5Gi", "ReadWriteMany");
      volume("data-" + stack + "-db-0", "10Gi", "ReadWriteOnce");
    }
    volume("pi-backups", "10Gi", "ReadWriteOnce");
    dir = Files.createDirectories(Path.of("target", "failover").toAbsolutePath());
    Files.writeString(dir.resolve("kubeconfig"), api.kubeconfig());
    watches.add(admin.batch().v1().jobs().inNamespace(ns).watch(new Watcher<Job>() {
      @Override
      public void eventReceived(Action action, Job job) {
        jobsSeen.putIfAbsent(job.getMetadata().getUid(), job.getMetadata().getName());
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    }));
    watches.add(admin.resources(Lease.class).inNamespace(ns).withName(LEASE_NAME).watch(new Watcher<Lease>() {
      @Override
      public void eventReceived(Action action, Lease lease) {
        leaseSeen.add(new Object[] {System.nanoTime(), holder(lease)});
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    }));
  }

  @AfterAll
  static void cleanup() {
    processes.forEach(OperatorProcess::close);
    watches.forEach(Watch::close);
    if (admin != null) {
      admin.namespaces().withName(ns).delete();
      volumes.forEach(v -> admin.persistentVolumes().withName(v).delete());
      admin.close();
    }
  }

  @Test
  void theStandbyTakesOverAKilledLeaderAndAStoppedLeaderHandsOverAtOnce() throws Exception {
    // One after the other: two JVMs starting at once on a busy 2-core machine timed out their
    // informers' start (JOSDK then stops the operator; a pod would be restarted).
    OperatorProcess a = start("replica-a", 1);
    await().atMost(T).until(() -> a.identity.equals(holder()) && a.ready());
    OperatorProcess b = start("replica-b", 1);
    await().atMost(T).until(() -> b.ready());
    assertThat(a.readyz()).isEqualTo("200 ready (leader)");
    assertThat(b.readyz()).isEqualTo("200 ready (standby)");
    assertThat(b.started()).as("a standby reconciles nothing").isZero();

    // Two stacks converge under replica-a; one starts with a restore, which runs as a Job.
    PiStack restored = RealApiStack.smallStack(ns, "pi");
    restored.getSpec().restore = new RestoreSpec();
    restored.getSpec().restore.backup = "latest";
    admin.resource(restored).create();
    admin.resource(RealApiStack.smallStack(ns, "pj")).create();
    await().atMost(T).until(() -> !restoreJobs().isEmpty());
    await().atMost(T).until(() -> a.started() > 0);

    // kill -9 the leader with the restore in flight.
    long killed = System.nanoTime();
    a.kill();
    await().atMost(T).until(() -> b.started() > 0);
    long firstReconcile = System.nanoTime();
    long takeover = firstTime(killed, b.identity);
    // Kubernetes restarts the killed pod: it comes back as the standby.
    OperatorProcess a2 = start(a.identity, 2);
    assertThat(b.readyz()).isEqualTo("200 ready (leader)");
    Duration toLease = Duration.ofNanos(takeover - killed);
    Duration toReconcile = Duration.ofNanos(firstReconcile - killed);
    System.out.printf("failover after kill -9: Lease taken by the standby after %d ms, its first reconcile"
        + " seen after %d ms (lease duration %d ms, retry period %d ms)%n",
        toLease.toMillis(), toReconcile.toMillis(), LEASE.toMillis(), RETRY.toMillis());
    // The standby sees the holder stop renewing, then waits a lease duration from what it last
    // observed: at most a lease duration plus a retry period (with fabric8's jitter) after the kill.
    assertThat(toLease).as("kill -9 to takeover").isLessThan(LEASE.plus(RETRY.multipliedBy(2)));

    // The restored stack and the other one converge under replica-b; one restore Job, ever.
    await().atMost(T).until(() -> ready("pi") && ready("pj"));
    PiStack pi = admin.resources(PiStack.class).inNamespace(ns).withName("pi").get();
    assertThat(pi.getStatus().restore.phase).isEqualTo(RestoreStatus.Phase.Succeeded);
    assertThat(jobsSeen.values()).as("Jobs created in the namespace (by UID)").hasSize(1)
        .allMatch(n -> n.startsWith("pi-restore"));

    await().atMost(T).until(() -> a2.readyz().equals("200 ready (standby)"));

    // SIGTERM the leader: it releases the Lease and the standby takes over at once.
    long stopped = System.nanoTime();
    int exit = b.terminate(Duration.ofSeconds(10));
    long exited = System.nanoTime();
    assertThat(exit).as("exit code of a SIGTERM").isEqualTo(143);
    await().atMost(LEASE.multipliedBy(3)).until(() -> a2.started() > 0);
    long secondReconcile = System.nanoTime();
    long released = firstTime(stopped, "");
    long handedOver = firstTime(stopped, a2.identity);
    System.out.printf("hand-over after SIGTERM: process gone after %d ms, Lease released after %d ms, taken by"
        + " the standby after %d ms, its first reconcile seen after %d ms%n",
        (exited - stopped) / 1_000_000, (released - stopped) / 1_000_000, (handedOver - stopped) / 1_000_000,
        (secondReconcile - stopped) / 1_000_000);
    assertThat(released).as("the Lease was released (holder cleared) before the standby took it")
        .isLessThan(handedOver);
    assertThat(Duration.ofNanos(handedOver - stopped)).as("SIGTERM to takeover: at once, not a lease duration")
        .isLessThan(LEASE.dividedBy(2));

    // The new leader reconciles a change; still one Job.
    Stacks.edit(admin, ns, "pj", s -> s.getSpec().dashboard.replicas = 1);
    await().atMost(T).until(() -> {
      var d = admin.apps().deployments().inNamespace(ns).withName("pj-dashboard").get();
      return d != null && d.getSpec().getReplicas() == 1;
    });
    assertThat(jobsSeen).hasSize(1);
  }

  private static OperatorProcess start(String identity, int run) throws Exception {
    // Started as its pod would be: again if it exits before it has started (see OperatorProcess).
    int[] attempt = {0};
    return OperatorProcess.startedAsAPod(() -> {
      OperatorProcess p = new OperatorProcess(dir.resolve(identity + "-" + run + (attempt[0]++ == 0 ? "" : "-restart"
          + (attempt[0] - 1)) + ".log"), dir.resolve("kubeconfig"), ns,
          identity, Map.of("PI_OPERATOR_LEADER_ELECTION", "true", "PI_OPERATOR_LEASE_NAMESPACE", ns,
              "PI_OPERATOR_LEASE_NAME", LEASE_NAME,
              "PI_OPERATOR_LEASE_DURATION", LEASE.toMillis() + "ms",
              "PI_OPERATOR_LEASE_RENEW_DEADLINE", RENEW.toMillis() + "ms",
              "PI_OPERATOR_LEASE_RETRY_PERIOD", RETRY.toMillis() + "ms"));
      processes.add(p);
      return p;
    });
  }

  /** When (nanoTime) the watch first saw the Lease held by {@code holder} ("" = released) after {@code since}. */
  private static long firstTime(long since, String holder) {
    await().atMost(T).until(() -> leaseSeen.stream().anyMatch(e -> (long) e[0] >= since && holder.equals(e[1])));
    return leaseSeen.stream().filter(e -> (long) e[0] >= since && holder.equals(e[1]))
        .mapToLong(e -> (long) e[0]).min().orElseThrow();
  }

  private static String holder() {
    return holder(admin.resources(Lease.class).inNamespace(ns).withName(LEASE_NAME).get());
  }

  private static String holder(Lease l) {
    return l == null || l.getSpec() == null || l.getSpec().getHolderIdentity() == null ? ""
        : l.getSpec().getHolderIdentity();
  }

  private static List<Job> restoreJobs() {
    return admin.batch().v1().jobs().inNamespace(ns).withLabel(BackupCronJobBuilder.JOB_KIND, "restore")
        .list().getItems();
  }

  private static boolean ready(String name) {
    PiStack s = admin.resources(PiStack.class).inNamespace(ns).withName(name).get();
    return s != null && s.getStatus() != null && s.getStatus().conditions.stream()
        .anyMatch(c -> ConditionType.READY.wire().equals(c.getType()) && "AllComponentsReady".equals(c.getReason())
            && java.util.Objects.equals(s.getStatus().observedGeneration, s.getMetadata().getGeneration()));
  }

  private static void volume(String claim, String size, String mode) {
    volumes.add(RealApiStack.volume(admin, ns, claim, size, mode));
  }
}
