package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.pistack.operator.api.v1alpha1.BackupSpec;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.backup.PodScripts;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.RecordedBackups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kill -9 during a scheduled backup run (issue 26), with KillNineOnRealApiTest's harness (the real process, SIGKILLed
 * 0 to 2.5 s after its first reconcile, started as a pod would be): a run of the stack's CronJob is made while the
 * operator is killed again and again, the run's pod does its work (the real backup script against a throwaway
 * MariaDB, onto a backup volume that outlives the pods) and ends while no operator runs, and more kills follow.
 * Afterwards there is exactly one backup: one PiBackup (a watch from the start saw one created, none deleted),
 * completed and naming the one backup directory on the volume.
 *
 * <p>The seed is printed; {@code -Dpistack.kill9.seed=<n>} replays a run's kill moments.
 */
@Tag("slow")
class KillNineScheduledPiBackupOnRealApiTest {
  static final Duration T = RealApiServer.timeout();
  static final int ROUNDS = 8;

  KubernetesClient admin;
  String ns;
  Path dir;
  Path kubeconfig;
  final List<String> volumes = new ArrayList<>();
  final List<String> seen = new CopyOnWriteArrayList<>();
  Watch watch;
  OperatorProcess running;

  @BeforeEach
  void cluster() throws Exception {
    RealApiServer api = RealApiServer.get();
    admin = api.client();
    ns = "kill9s-" + System.nanoTime() % 100000;
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Stacks.licenceSecret(admin, ns);
    volumes.add(RealApiStack.volume(admin, ns, "ps-shared", "5Gi", "ReadWriteMany"));
    volumes.add(RealApiStack.volume(admin, ns, "data-ps-db-0", "10Gi", "ReadWriteOnce"));
    volumes.add(RealApiStack.volume(admin, ns, "ps-backups", "10Gi", "ReadWriteOnce"));
    dir = Files.createDirectories(Path.of("target", "kill9", ns).toAbsolutePath());
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, api.kubeconfig());
    watch = admin.resources(PiBackup.class).inNamespace(ns).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, PiBackup b) {
        if (action == Action.ADDED || action == Action.DELETED) {
          seen.add(action + " " + b.getMetadata().getName() + " " + b.getMetadata().getUid());
        }
      }

      @Override
      public void onClose(WatcherException cause) { }
    });
  }

  @AfterEach
  void cleanup() throws Exception {
    if (running != null && running.alive()) {
      running.kill();
    }
    watch.close();
    PodEnds.cordon(admin, false);
    admin.namespaces().withName(ns).delete();
    volumes.forEach(v -> admin.persistentVolumes().withName(v).delete());
    admin.close();
  }

  @Test
  void aScheduledRunKilledAroundLeavesExactlyOnePiBackupAndOneBackup() throws Exception {
    long seed = Long.getLong("pistack.kill9.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.println("kill -9 (scheduled PiBackup): seed " + seed);
    PiStack stack = RealApiStack.smallStack(ns, "ps");
    stack.getSpec().backup = new BackupSpec();
    stack.getSpec().backup.enabled = true;
    admin.resource(stack).create();

    Path volume = Files.createTempDirectory("ps-backups");
    Job run = null;
    int inFlight = 0;
    try (PodScripts scripts = PodScripts.start("unused")) {
      for (int r = 0; r < ROUNDS; r++) {
        OperatorProcess op = start("round-" + (r + 1));
        if (r == 0) { // the CronJob exists; new pods stay Pending from now on
          await().atMost(T).until(() -> cron() != null);
          PodEnds.cordon(admin, true);
        }
        if (r == 1) { // the schedule's slot comes: the CronJob controller makes its run
          run = run(cron(), 29413200);
        }
        await().atMost(T).until(() -> op.started() > 0);
        Thread.sleep(random.nextInt(2501));
        if (op.inFlight() > 0) {
          inFlight++;
        }
        op.kill();
        running = null;
        if (r == 4) { // the run's pod does its work and ends while no operator runs
          Job j = run;
          Pod pod = await().atMost(T).until(() -> admin.pods().inNamespace(ns).withLabel("job-name",
              j.getMetadata().getName()).list().getItems().stream().findFirst().orElse(null), Objects::nonNull);
          List<PodScripts.Ran> ran = scripts.run(j.getSpec().getTemplate().getSpec(), volume);
          assertThat(ran).allSatisfy(x -> assertThat(x.exitCode()).as("%s: %s", x.container(), x.stderr()).isZero());
          PodEnds.succeed(admin, ns, pod, ran);
        }
      }
      OperatorProcess last = start("converge");
      String name = RecordedBackups.name(run);
      await().atMost(T).until(() -> {
        PiBackup b = admin.resources(PiBackup.class).inNamespace(ns).withName(name).get();
        return b != null && b.getStatus() != null && b.getStatus().phase == Phase.Completed;
      });
      List<String> onVolume;
      try (Stream<Path> dirs = Files.list(volume)) {
        onVolume = dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("scheduled-")).toList();
      }
      List<PiBackup> all = admin.resources(PiBackup.class).inNamespace(ns).list().getItems();
      assertThat(all).singleElement().satisfies(b -> {
        assertThat(b.getMetadata().getName()).isEqualTo(name);
        assertThat(onVolume).containsExactly(b.getStatus().backupName);
      });
      assertThat(seen).as("PiBackups created and deleted, as a watch from the start saw them").singleElement()
          .satisfies(e -> assertThat(e).startsWith("ADDED " + name + " "));
      assertThat(admin.batch().v1().jobs().inNamespace(ns).withLabel("pistack.io/job-kind", "scheduled-backup")
          .list().getItems()).singleElement();
      System.out.printf("kill -9 (scheduled PiBackup): %d kills (%d with reconciles in flight), one PiBackup, one"
          + " backup; lost: 0, duplicated: 0%n", ROUNDS, inFlight);
      assertThat(last.alive()).isTrue();
    } finally {
      try (Stream<Path> all = Files.walk(volume)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private CronJob cron() {
    return admin.batch().v1().cronjobs().inNamespace(ns).withName("ps-backup").get();
  }

  private Job run(CronJob cron, long minute) {
    return PodEnds.cronJobRun(admin, cron, minute);
  }

  private OperatorProcess start(String label) throws Exception {
    running = OperatorProcess.startedAsAPod(() -> running = new OperatorProcess(dir, label, kubeconfig, ns,
        "kill9s", Map.of()));
    return running;
  }
}
