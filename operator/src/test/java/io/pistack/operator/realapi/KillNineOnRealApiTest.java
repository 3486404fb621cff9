package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.api.v1alpha1.BackupSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.BackupCronJobBuilder;
import io.pistack.operator.model.BackupJobBuilder;
import io.pistack.operator.desired.DesiredStacks;
import io.pistack.operator.desired.GeneratedSecret;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SlimSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * kill -9 at random moments: the real process (`pi-operator run` in a child JVM) against the real
 * control plane, SIGKILLed in every round, while four stacks are created, one upgraded through its
 * pre-upgrade backup, one restored, one has components and autoscaling toggled, and one is deleted.
 * The real Job controller and kwok (which completes the Jobs' pods) keep running across the kills,
 * as they would in a cluster. After the last restart and convergence nothing may differ from what a
 * clean run produces: a server-side dry-run apply of every desired object with the operator's field
 * manager changes nothing, the generated passwords and the claims are the ones first created, every
 * Job ran once per request and its outcome is in the status. A watch started before the first round
 * sees every Job, Secret and claim the run creates, including those deleted again.
 *
 * <p>The seed is printed; {@code -Dpistack.kill9.seed=<n>} replays a run's kill moments.
 */
@Tag("slow")
class KillNineOnRealApiTest {
  static final Duration T = RealApiServer.timeout();
  static final String OLD = "2025_10.1";
  static final String NEW = "2025_11.1";
  /** A kill lands 0 to 2.5 s after the started operator began its first reconcile. */
  static final int MAX_KILL_DELAY_MS = 2500;

  KubernetesClient admin;
  String ns;
  Path dir;
  Path kubeconfig;
  final List<String> volumes = new ArrayList<>();
  History history;
  OperatorProcess running;

  /** One round: its step's name, what to wait for first (with the operator running), the user's edit. */
  record Round(String step, BooleanSupplier before, Runnable edit) {}

  @BeforeEach
  void cluster() throws Exception {
    RealApiServer api = RealApiServer.get();
    admin = api.client();
    ns = "kill9-" + System.nanoTime() % 100000;
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Stacks.licenceSecret(admin, ns);
    for (String s : List.of("pa", "pb", "pc", "pd")) {
      volumes.add(RealApiStack.volume(admin, ns, s + "-shared", "5Gi", "ReadWriteMany"));
      volumes.add(RealApiStack.volume(admin, ns, "data-" + s + "-db-0", "10Gi", "ReadWriteOnce"));
    }
    volumes.add(RealApiStack.volume(admin, ns, "pa-backups", "10Gi", "ReadWriteOnce"));
    volumes.add(RealApiStack.volume(admin, ns, "pb-backups", "10Gi", "ReadWriteOnce"));
    dir = Files.createDirectories(Path.of("target", "kill9", ns).toAbsolutePath());
    kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, api.kubeconfig());
    history = new History(admin, ns);
  }

  @AfterEach
  void cleanup() throws Exception {
    if (running != null && running.alive()) {
      running.kill();
    }
    if (history != null) {
      history.close();
    }
    admin.namespaces().withName(ns).delete();
    volumes.forEach(v -> admin.persistentVolumes().withName(v).delete());
    admin.close();
  }

  @Test
  void everyStackConvergesToWhatACleanRunProducesAfterTwentyKills() throws Exception {
    long seed = Long.getLong("pistack.kill9.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.println("kill -9: seed " + seed + " (-Dpistack.kill9.seed=" + seed + " replays the kill moments)");
    long begin = System.nanoTime();

    List<Round> rounds = schedule();
    Map<String, Integer> perStep = new LinkedHashMap<>();
    int inFlight = 0;
    for (int r = 0; r < rounds.size(); r++) {
      Round round = rounds.get(r);
      long launched = System.nanoTime();
      OperatorProcess op = start("round-" + (r + 1) + "-" + round.step());
      if (round.before() != null) {
        await().atMost(T).until(round.before()::getAsBoolean);
      }
      if (round.edit() != null) {
        round.edit().run();
      }
      await().atMost(T).until(() -> op.started() > 0);
      long reconciling = System.nanoTime();
      int delay = random.nextInt(MAX_KILL_DELAY_MS + 1);
      Thread.sleep(delay);
      assertThat(op.alive()).as("operator of round %d alive before its kill, see %s", r + 1, op.log).isTrue();
      double running = op.inFlight();
      if (running > 0) {
        inFlight++;
      }
      op.kill();
      this.running = null;
      perStep.merge(round.step(), 1, Integer::sum);
      System.out.printf("round %d (%s): first reconcile %d ms after the launch, SIGKILL %d ms later with %.0f"
          + " reconciles in flight%n", r + 1, round.step(), (reconciling - launched) / 1_000_000, delay, running);
    }
    int kills = rounds.size();

    // The last restart: converges with nobody killing it.
    long lastStart = System.nanoTime();
    OperatorProcess last = start("converge");
    // Evidence that the last operator ran: it reconciled each remaining stack to the end and found it Ready.
    await().atMost(Duration.ofSeconds(180)).until(() -> converged()
        && List.of("pa", "pb", "pc").stream().allMatch(s -> last.reportsReady(ns, s)));
    long convergedMs = (System.nanoTime() - lastStart) / 1_000_000;

    int checked = assertDesiredObjectsUnchangedByADryRunApply();
    history.assertEachCreatedOnce();
    history.assertPasswordsAndClaimsKept(admin);
    assertJobOutcomesRecordedOnce();
    assertThat(admin.resources(PiStack.class).inNamespace(ns).withName("pd").get()).as("deleted stack").isNull();
    await().atMost(T).until(() -> admin.apps().deployments().inNamespace(ns).withLabel(Labels.INSTANCE, "pd")
        .list().getItems().isEmpty());

    long totalS = (System.nanoTime() - begin) / 1_000_000_000;
    System.out.printf("kill -9 summary: seed %d, %d kills (%d with reconciles in flight), rounds per step %s,"
        + " converged %.1f s after the last restart, %d desired objects unchanged by a dry-run apply,"
        + " jobs %s, lost: 0, duplicated: 0, %d s in all%n", seed, kills, inFlight, perStep, convergedMs / 1000.0,
        checked, history.jobsByKind(), totalS);
    assertThat(kills).isGreaterThanOrEqualTo(20);
    assertThat(inFlight).as("kills that landed with reconciles in flight").isPositive();
  }

  /**
   * 22 rounds: every round starts the operator, makes its step's edit (if any) and kills it. A step's
   * later rounds make no edit: the work it started goes on under more kills.
   */
  private List<Round> schedule() {
    List<Round> r = new ArrayList<>();
    r.add(new Round("create", null, () -> create(stack("pa", s -> backups(s)))));
    r.add(new Round("create", null, () -> create(stack("pb", s -> { }))));
    r.add(new Round("create", null, () -> create(stack("pc", s -> { }))));
    r.add(new Round("create", null, () -> create(stack("pd", s -> { }))));
    // The upgrade goes through the pre-upgrade backup only once the stack runs a version.
    r.add(new Round("upgrade", () -> runningVersion("pa").equals(OLD),
        () -> Stacks.edit(admin, ns, "pa", s -> s.getSpec().version = NEW)));
    r.add(new Round("upgrade", null, null));
    r.add(new Round("upgrade", null, null));
    r.add(new Round("upgrade", null, null));
    // A backup on demand of pa (issue 26): one Job, whatever the kills.
    r.add(new Round("pibackup", null, () -> admin.resource(piBackup("pa-now", "pa")).create()));
    r.add(new Round("pibackup", null, null));
    r.add(new Round("restore", null, () -> Stacks.edit(admin, ns, "pb", s -> {
      s.getSpec().restore = new RestoreSpec();
      s.getSpec().restore.backup = "latest";
    })));
    r.add(new Round("restore", null, null));
    r.add(new Round("restore", null, null));
    r.add(new Round("toggle", null, () -> Stacks.edit(admin, ns, "pc", s -> s.getSpec().analytics.enabled = false)));
    r.add(new Round("toggle", null, () -> Stacks.edit(admin, ns, "pc", s -> {
      s.getSpec().dashboard.replicas = null;
      s.getSpec().dashboard.autoscaling = autoscaling(2, 4);
    })));
    r.add(new Round("toggle", null, () -> Stacks.edit(admin, ns, "pc",
        s -> s.getSpec().renderer.autoscaling = autoscaling(1, 3))));
    r.add(new Round("toggle", null, () -> Stacks.edit(admin, ns, "pc", s -> s.getSpec().analytics.enabled = true)));
    r.add(new Round("toggle", null, () -> Stacks.edit(admin, ns, "pc", s -> {
      s.getSpec().renderer.autoscaling = null;
      s.getSpec().renderer.replicas = 2;
    })));
    r.add(new Round("toggle", null, null));
    // A running stack is deleted: its data (claims, credentials) must outlive it.
    r.add(new Round("delete", () -> Judges.readyAndObserved(Judges.live(admin, ns, "pd"))
        && admin.persistentVolumeClaims().inNamespace(ns).withName("data-pd-db-0").get() != null,
        () -> admin.resources(PiStack.class).inNamespace(ns).withName("pd").delete()));
    r.add(new Round("delete", null, null));
    r.add(new Round("delete", null, null));
    return r;
  }

  private OperatorProcess start(String label) throws Exception {
    running = OperatorProcess.startedAsAPod(() -> running = new OperatorProcess(dir, label, kubeconfig, ns, "kill9",
        Map.of()));
    return running;
  }

  private PiStack stack(String name, java.util.function.Consumer<PiStack> change) {
    PiStack s = RealApiStack.smallStack(ns, name);
    s.getSpec().version = OLD;
    change.accept(s);
    return s;
  }

  private io.pistack.operator.api.v1alpha1.PiBackup piBackup(String name, String stack) {
    var b = new io.pistack.operator.api.v1alpha1.PiBackup();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace(ns);
    b.setSpec(new io.pistack.operator.api.v1alpha1.PiBackupSpec());
    b.getSpec().stack = stack;
    return b;
  }

  private static void backups(PiStack s) {
    s.getSpec().backup = new BackupSpec();
    s.getSpec().backup.enabled = true;
  }

  private static AutoscalingSpec autoscaling(int min, int max) {
    AutoscalingSpec a = new AutoscalingSpec();
    a.enabled = true;
    a.minReplicas = min;
    a.maxReplicas = max;
    return a;
  }

  private void create(PiStack s) {
    admin.resource(s).create();
  }

  private String runningVersion(String stack) {
    Deployment d = admin.apps().deployments().inNamespace(ns).withName(stack + "-dashboard").get();
    return d == null ? "" : String.valueOf(d.getMetadata().getLabels().get(Labels.VERSION));
  }

  private PiStack live(String name) {
    return admin.resources(PiStack.class).inNamespace(ns).withName(name).get();
  }

  /** Every remaining stack Ready for its generation, and each step's end state reached. */
  private boolean converged() {
    for (String s : List.of("pa", "pb", "pc")) {
      if (!Judges.readyAndObserved(Judges.live(admin, ns, s))) {
        return false;
      }
    }
    PiStack pb = live("pb");
    return admin.resources(PiStack.class).inNamespace(ns).withName("pd").get() == null
        && runningVersion("pa").equals(NEW)
        && pb.getStatus().restore != null && pb.getStatus().restore.phase == RestoreStatus.Phase.Succeeded;
  }

  // ---- after convergence -------------------------------------------------------------------------

  /**
   * Every object the operator wants for each remaining stack (the builders `render` uses, resolved
   * against the live stack and Secrets, with the metadata JOSDK adds when it applies), applied with
   * the operator's field manager as a server-side dry run: the API server's answer equals the live
   * object. The generated Secret (created once, never applied) and the Jobs (immutable; counted by
   * the watch) are checked apart. Returns how many objects were compared.
   */
  private int assertDesiredObjectsUnchangedByADryRunApply() {
    int checked = 0;
    List<String> differences = new ArrayList<>();
    for (String name : List.of("pa", "pb", "pc")) {
      PiStack primary = live(name);
      ResolvedStack resolved = new ResolvedStack(primary, secret -> Optional.ofNullable(
          admin.secrets().inNamespace(ns).withName(secret).get()).map(SlimSecrets::digest));
      for (HasMetadata desired : DesiredStacks.fresh(resolved).objects()) {
        if (desired instanceof Job || desired instanceof Secret s && GeneratedSecret.isPlaceholder(s)) {
          continue;
        }
        HasMetadata live = admin.resource(desired).get();
        assertThat(live).as("%s %s exists", desired.getKind(), desired.getMetadata().getName()).isNotNull();
        List<String> changed = DryRunApply.changes(admin, desired, primary, live);
        if (!changed.isEmpty()) {
          differences.add(name + ": " + desired.getKind() + " " + desired.getMetadata().getName() + " " + changed);
        }
        checked++;
      }
    }
    assertThat(differences).as("objects a dry-run apply of the desired state would change").isEmpty();
    assertThat(checked).as("desired objects compared").isGreaterThan(30);
    return checked;
  }

  /**
   * The pre-upgrade backup, the PiBackup's backup and the restore each ran exactly once (one Job name, one uid), and the
   * status holds each outcome: the backup's completion time, the restore's Job and completion time.
   */
  private void assertJobOutcomesRecordedOnce() {
    List<Job> preUpgrade = history.jobs("pa", BackupJobBuilder.PRE_UPGRADE);
    List<Job> restore = history.jobs("pb", BackupJobBuilder.RESTORE);
    assertThat(preUpgrade).as("pre-upgrade backup Jobs of pa").hasSize(1);
    assertThat(restore).as("restore Jobs of pb").hasSize(1);
    assertThat(history.jobs("pb", BackupJobBuilder.PRE_UPGRADE)).as("pb has backups off").isEmpty();

    String backupDone = preUpgrade.get(0).getStatus().getCompletionTime();
    assertThat(backupDone).as("the pre-upgrade Job completed").isNotNull();
    // The PiBackup of pa: one backup Job, completed, recorded on the PiBackup.
    List<Job> onDemand = history.jobs("pa", io.pistack.operator.model.PiBackupJobs.BACKUP);
    assertThat(onDemand).as("backup Jobs of PiBackup pa-now").hasSize(1);
    String onDemandDone = onDemand.get(0).getStatus().getCompletionTime();
    assertThat(onDemandDone).as("the PiBackup's Job completed").isNotNull();
    var piBackup = admin.resources(io.pistack.operator.api.v1alpha1.PiBackup.class).inNamespace(ns)
        .withName("pa-now").get();
    assertThat(piBackup.getStatus().phase).isEqualTo(io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase.Completed);
    assertThat(piBackup.getStatus().jobName).isEqualTo(onDemand.get(0).getMetadata().getName());
    PiStack pa = live("pa");
    assertThat(pa.getStatus().backup).as("pa status.backup").isNotNull();
    // Its newest backup: the pre-upgrade one or the PiBackup's, whichever completed last.
    String newest = java.time.Instant.parse(backupDone).isAfter(java.time.Instant.parse(onDemandDone))
        ? backupDone : onDemandDone;
    assertThat(pa.getStatus().backup.lastSuccessfulTime).as("pa: the newest backup recorded")
        .isEqualTo(newest);
    assertThat(pa.getStatus().backup.lastFailureTime).as("pa: no backup failure").isNull();

    Job restoreJob = restore.get(0);
    assertThat(restoreJob.getStatus().getCompletionTime()).as("the restore Job completed").isNotNull();
    RestoreStatus r = live("pb").getStatus().restore;
    assertThat(r.phase).isEqualTo(RestoreStatus.Phase.Succeeded);
    assertThat(r.jobName).isEqualTo(restoreJob.getMetadata().getName());
    assertThat(r.completionTime).as("pb: the restore's completion recorded")
        .isEqualTo(restoreJob.getStatus().getCompletionTime());
  }

  /**
   * What a watch started before the first round saw of the namespace's Jobs, Secrets and claims: per
   * name, every uid it had (a second uid is a second creation) and the last state of each Job; per
   * Secret, every distinct data it had.
   */
  static final class History implements AutoCloseable {
    private final Map<String, Set<String>> jobUids = new TreeMap<>();
    private final Map<String, Job> lastJob = new TreeMap<>();
    private final Map<String, Set<String>> claimUids = new TreeMap<>();
    private final Map<String, Set<String>> secretStates = new TreeMap<>();
    private final List<String> watchErrors = new ArrayList<>();
    private final List<Watch> watches = new ArrayList<>();
    private final String ns;

    History(KubernetesClient admin, String ns) {
      this.ns = ns;
      watches.add(admin.batch().v1().jobs().inNamespace(ns).watch(watcher((action, j) -> {
        jobUids.computeIfAbsent(j.getMetadata().getName(), k -> new LinkedHashSet<>()).add(j.getMetadata().getUid());
        lastJob.put(j.getMetadata().getName(), j);
      })));
      watches.add(admin.persistentVolumeClaims().inNamespace(ns).watch(watcher((action, c) ->
          claimUids.computeIfAbsent(c.getMetadata().getName(), k -> new LinkedHashSet<>())
              .add(c.getMetadata().getUid()))));
      watches.add(admin.secrets().inNamespace(ns).watch(watcher((action, s) -> {
        if (s.getMetadata().getName().endsWith("-db-credentials") || s.getMetadata().getName().endsWith("-db-backup")) {
          secretStates.computeIfAbsent(s.getMetadata().getName(), k -> new LinkedHashSet<>())
              .add(s.getMetadata().getUid() + " " + new TreeMap<>(s.getData() == null ? Map.of() : s.getData()));
        }
      })));
    }

    private <T> Watcher<T> watcher(java.util.function.BiConsumer<Watcher.Action, T> seen) {
      return new Watcher<>() {
        @Override
        public void eventReceived(Action action, T resource) {
          synchronized (History.this) {
            seen.accept(action, resource);
          }
        }

        @Override
        public void onClose(WatcherException cause) {
          synchronized (History.this) {
            watchErrors.add(String.valueOf(cause));
          }
        }
      };
    }

    /** No Job or claim was created twice under one name. */
    synchronized void assertEachCreatedOnce() {
      assertThat(watchErrors).as("the watches ran through the whole test").isEmpty();
      jobUids.forEach((name, uids) -> assertThat(uids).as("creations of Job %s", name).hasSize(1));
      claimUids.forEach((name, uids) -> assertThat(uids).as("creations of claim %s", name).hasSize(1));
    }

    /**
     * Every generated password stayed what it was first created with, and every claim (the deleted
     * stack's too: data outlives the stack) is still the one first created.
     */
    synchronized void assertPasswordsAndClaimsKept(KubernetesClient admin) {
      assertThat(secretStates.keySet()).as("generated credentials seen")
          .containsExactly("pa-db-backup", "pa-db-credentials", "pb-db-backup", "pb-db-credentials", "pc-db-backup",
              "pc-db-credentials", "pd-db-backup", "pd-db-credentials");
      secretStates.forEach((name, states) -> {
        assertThat(states).as("uid and data of %s over the run", name).hasSize(1);
        Secret now = admin.secrets().inNamespace(ns).withName(name).get();
        assertThat(now).as("%s kept", name).isNotNull();
        assertThat(now.getMetadata().getUid() + " " + new TreeMap<>(now.getData())).isEqualTo(states.iterator().next());
      });
      assertThat(claimUids).as("claims seen").hasSize(10);
      claimUids.forEach((name, uids) -> {
        PersistentVolumeClaim now = admin.persistentVolumeClaims().inNamespace(ns).withName(name).get();
        assertThat(now).as("claim %s kept", name).isNotNull();
        assertThat(now.getMetadata().getUid()).as("uid of claim %s", name).isEqualTo(uids.iterator().next());
      });
    }

    /** The Jobs of a stack of one kind, in their last seen state. */
    synchronized List<Job> jobs(String stack, String kind) {
      return lastJob.values().stream().filter(j -> stack.equals(j.getMetadata().getLabels().get(Labels.INSTANCE))
          && kind.equals(j.getMetadata().getLabels().get(BackupCronJobBuilder.JOB_KIND))).toList();
    }

    synchronized Map<String, Integer> jobsByKind() {
      Map<String, Integer> out = new TreeMap<>();
      lastJob.values().forEach(j -> out.merge(j.getMetadata().getLabels().get(BackupCronJobBuilder.JOB_KIND), 1,
          Integer::sum));
      return out;
    }

    @Override
    public void close() {
      watches.forEach(Watch::close);
    }
  }
}
