package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.ObjectLockSpec;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.backup.PodScripts;
import io.pistack.operator.it.Quiet;
import io.pistack.operator.model.RecordedBackups;
import io.pistack.operator.model.S3PruneJobs;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.backup.keep on an S3 target on a real API server (real Job controller with its pod failure policy, real
 * garbage collector), the backup and prune pods run for real (PodScripts: the real backup.sh and s3.sh against a
 * throwaway MariaDB and moto_server, then ended as the kubelet would): the PiBackup beyond keep loses its data in
 * the bucket first, by its prune Job, then goes itself (its Job with it); a backup under Object Lock is refused by
 * s3.sh and stays, object and data, its PiBackup saying ObjectLocked and until when; and nothing is pruned while a
 * restore of the stack is asked for, pruning starting once it is not.
 */
class S3KeepOnRealApiTest {
  static final Duration T = RealApiStack.T;
  static final String BUCKET = "acme-pi-backups";
  /** LocalS3's secret key: never in a status, a message or an output. */
  static final String SECRET = "pi-S3-secret/Key+never-logged";
  RealApiStack env;
  KubernetesClient admin;
  String ns;
  long minute = 29413200;

  @BeforeEach
  void start() {
    env = new RealApiStack("s3keep", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
    admin = env.admin;
    ns = env.ns;
  }

  @AfterEach
  void stop() {
    PodEnds.cordon(admin, false);
    env.close();
  }

  @Test
  void keepDeletesTheDataThenThePiBackupAndALockedBackupStaysAndSaysUntilWhen() throws Exception {
    PiStack stack = env.smallStack();
    stack.getSpec().backup = S3BackupsOnRealApiTest.s3Backup();
    stack.getSpec().backup.storage.s3.objectLock = null; // no retention on the first backups
    stack.getSpec().backup.keep = 1;
    admin.resource(stack).create();
    PodEnds.cordon(admin, true);
    try (PodScripts scripts = PodScripts.start(BUCKET)) {
      PiBackup first = completed(scripts);
      PiBackup second = completed(scripts);
      assertThat(keys(scripts, first)).hasSize(3);

      // The older one's data goes first, by its prune Job (owned by it); the PiBackup waits for the Job.
      prune(scripts, first, second);

      // From now on every backup is under COMPLIANCE retention for a day.
      io.pistack.operator.it.Stacks.edit(admin, ns, "pi", s -> { // retried on a conflict
        s.getSpec().backup.storage.s3.objectLock = new ObjectLockSpec();
        s.getSpec().backup.storage.s3.objectLock.mode = ObjectLockSpec.Mode.COMPLIANCE;
        s.getSpec().backup.storage.s3.objectLock.days = 1;
      });
      await().atMost(T).until(() -> cron().getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
          .getContainers().get(0).getEnv().stream().anyMatch(e -> "S3_LOCK_MODE".equals(e.getName())));
      PiBackup third = completed(scripts);
      prune(scripts, second, third);
      PiBackup fourth = completed(scripts);

      // The third is beyond keep but locked: s3.sh refuses (exit 3), the Job fails by its pod failure policy, and
      // the PiBackup stays, saying so, with its data.
      String before = scripts.objects(BUCKET);
      Job refused = await().atMost(T).until(() -> pruneJob(third), Objects::nonNull);
      List<PodScripts.Ran> ran = scripts.run(refused.getSpec().getTemplate().getSpec());
      assertThat(ran).singleElement().satisfies(r -> {
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(3);
        assertThat(r.message()).contains("\"locked\":true").contains("COMPLIANCE");
      });
      PodEnds.fail(admin, ns, pod(refused), ran);
      await().atMost(T).untilAsserted(() -> {
        Job j = job(refused);
        assertThat(j.getStatus().getConditions()).anySatisfy(c -> {
          assertThat(c.getType()).isEqualTo("Failed");
          assertThat(c.getReason()).isEqualTo("PodFailurePolicy");
        });
      });
      Instant inADay = Instant.now().plus(1, ChronoUnit.DAYS);
      await().atMost(T).ignoreExceptions().untilAsserted(() -> {
        PiBackup b = piBackup(third);
        Condition retained = b.getStatus().conditions.stream().filter(c -> "Retained".equals(c.getType()))
            .findFirst().orElseThrow();
        assertThat(retained.getStatus()).isEqualTo("True");
        assertThat(retained.getReason()).isEqualTo("ObjectLocked");
        assertThat(retained.getMessage()).contains("COMPLIANCE retention until " + b.getStatus().lockedUntil);
        assertThat(Instant.parse(b.getStatus().lockedUntil)).isBetween(inADay.minus(10, ChronoUnit.MINUTES), inADay);
        assertThat(b.getStatus().phase).isEqualTo(Phase.Completed);
      });
      assertThat(scripts.objects(BUCKET)).isEqualTo(before);
      assertThat(keys(scripts, third)).hasSize(3);

      // Settled: the operator deletes nothing more and makes no Job, also after a restart; the fourth stays.
      Quiet.untilUnchangedFor(Duration.ofSeconds(3), T, env.operatorWrites::mark);
      int mark = env.operatorWrites.mark();
      env.stopOperator();
      env.startOperator();
      Quiet.untilUnchangedFor(Duration.ofSeconds(3), T, env.operatorWrites::mark);
      assertThat(env.operatorWrites.since(mark)).noneMatch(w -> w.contains("/pibackups") || w.contains("/jobs"));
      assertThat(piBackup(third)).isNotNull();
      assertThat(piBackup(fourth)).isNotNull();
      assertThat(scripts.objects(BUCKET)).isEqualTo(before);
      assertThat(admin.resources(PiBackup.class).inNamespace(ns).list().getItems().toString()).doesNotContain(SECRET);
    }
  }

  @Test
  void nothingIsPrunedWhileARestoreIsAskedForAndPruningStartsOnceItIsNot() throws Exception {
    PodEnds.cordon(admin, true); // the database never starts: the restore waits for it (Pending)
    PiStack stack = env.smallStack();
    stack.getSpec().backup = S3BackupsOnRealApiTest.s3Backup();
    stack.getSpec().backup.storage.s3.objectLock = null;
    stack.getSpec().backup.keep = 1;
    stack.getSpec().restore = new RestoreSpec();
    stack.getSpec().restore.backup = "latest";
    admin.resource(stack).create();
    try (PodScripts scripts = PodScripts.start(BUCKET)) {
      PiBackup first = completed(scripts);
      completed(scripts);
      await().atMost(T).ignoreExceptions().untilAsserted(() -> assertThat(env.stack().getStatus().restore.phase)
          .isEqualTo(io.pistack.operator.api.v1alpha1.RestoreStatus.Phase.Pending));
      String objects = scripts.objects(BUCKET);
      Quiet.untilUnchangedFor(Duration.ofSeconds(3), T, env.operatorWrites::mark);
      assertThat(pruneJobs()).as("prune Jobs while a restore is asked for").isEmpty();
      assertThat(piBackup(first)).isNotNull();
      assertThat(scripts.objects(BUCKET)).isEqualTo(objects);

      io.pistack.operator.it.Stacks.edit(admin, ns, "pi", s -> { // retried on a conflict
        s.getSpec().restore = null;
      });
      await().atMost(T).until(() -> pruneJob(first) != null);
      assertThat(pruneJobs()).hasSize(1);
    }
  }

  /** Runs {@code old}'s prune Job's pod for real: its data leaves the bucket, then the PiBackup and its Job go. */
  private void prune(PodScripts scripts, PiBackup old, PiBackup kept) throws Exception {
    Job prune = await().atMost(T).until(() -> pruneJob(old), Objects::nonNull);
    assertThat(prune.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(old.getMetadata().getUid()));
    assertThat(pruneJobs()).as("one prune Job, for the PiBackup beyond keep only").hasSize(1);
    List<PodScripts.Ran> ran = scripts.run(prune.getSpec().getTemplate().getSpec());
    assertThat(ran).singleElement().satisfies(r -> {
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      assertThat(r.message()).contains("\"deletedVersions\":3").doesNotContain(SECRET);
      assertThat(r.stderr()).doesNotContain(SECRET);
    });
    assertThat(keys(scripts, old)).as("its data in the bucket").isEmpty();
    assertThat(keys(scripts, kept)).hasSize(3);
    assertThat(piBackup(old)).as("the PiBackup stays until its prune Job succeeded").isNotNull();
    PodEnds.succeed(admin, ns, pod(prune), ran);
    await().atMost(T).until(() -> piBackup(old) == null);
    await().atMost(T).until(() -> job(prune) == null); // owned by the PiBackup: the garbage collector deletes it
    assertThat(piBackup(kept)).isNotNull();
  }

  /** A run of the CronJob, its pod run for real and ended: its PiBackup once Completed. */
  private PiBackup completed(PodScripts scripts) throws Exception {
    Thread.sleep(1100); // backups are named by the second
    Job run = PodEnds.cronJobRun(admin, cron(), minute);
    minute += 60;
    List<PodScripts.Ran> ran = scripts.run(run.getSpec().getTemplate().getSpec());
    assertThat(ran).allSatisfy(r -> assertThat(r.exitCode()).as("%s: %s", r.container(), r.stderr()).isZero());
    PodEnds.succeed(admin, ns, pod(run), ran);
    String name = RecordedBackups.name(run);
    return await().atMost(T).until(() -> {
      PiBackup b = admin.resources(PiBackup.class).inNamespace(ns).withName(name).get();
      return b != null && b.getStatus() != null && b.getStatus().phase == Phase.Completed ? b : null;
    }, Objects::nonNull);
  }

  private CronJob cron() {
    return await().atMost(T).until(() -> admin.batch().v1().cronjobs().inNamespace(ns).withName("pi-backup").get(),
        Objects::nonNull);
  }

  private Pod pod(Job job) {
    return await().atMost(T).until(() -> admin.pods().inNamespace(ns).withLabel("job-name",
        job.getMetadata().getName()).list().getItems().stream().findFirst().orElse(null), Objects::nonNull);
  }

  /** The bucket's object versions under the backup's own directory. */
  private List<String> keys(PodScripts scripts, PiBackup b) throws Exception {
    String dir = ns + "/pi/" + b.getStatus().backupName + "/";
    return scripts.objects(BUCKET).lines().filter(l -> l.startsWith(dir)).toList();
  }

  private Job job(Job j) {
    return admin.batch().v1().jobs().inNamespace(ns).withName(j.getMetadata().getName()).get();
  }

  private Job pruneJob(PiBackup b) {
    return admin.batch().v1().jobs().inNamespace(ns).withName(S3PruneJobs.name(b)).get();
  }

  private List<Job> pruneJobs() {
    return admin.batch().v1().jobs().inNamespace(ns).withLabel("pistack.io/job-kind", S3PruneJobs.KIND).list()
        .getItems();
  }

  private PiBackup piBackup(PiBackup b) {
    return admin.resources(PiBackup.class).inNamespace(ns).withName(b.getMetadata().getName()).get();
  }
}
