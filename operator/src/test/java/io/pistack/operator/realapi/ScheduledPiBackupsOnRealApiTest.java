package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.BackupSpec;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.backup.PodScripts;
import io.pistack.operator.it.Quiet;
import io.pistack.operator.model.RecordedBackups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The schedule's backups as PiBackups on a real API server (real Job controller and garbage collector): each run of
 * the stack's CronJob (made here as the CronJob controller makes them: the job template, owned by the CronJob, named
 * after its slot) gets exactly one PiBackup, across an operator restart, filled from the run's own pod (the real
 * scripts against a throwaway MariaDB and moto_server, PodScripts; the pod then ended as the kubelet would), and
 * spec.backup.keep prunes the objects together with the files on the backup volume, and nothing in a locked bucket.
 */
class ScheduledPiBackupsOnRealApiTest {
  static final Duration T = RealApiStack.T;
  static final String BUCKET = "acme-pi-backups";
  RealApiStack env;
  KubernetesClient admin;
  String ns;

  @BeforeEach
  void start() {
    env = new RealApiStack("spib", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"), claim("pi-backups", "10Gi", "ReadWriteOnce"));
    admin = env.admin;
    ns = env.ns;
  }

  @AfterEach
  void stop() {
    PodEnds.cordon(admin, false);
    env.close();
  }

  @Test
  void eachRunIsOnePiBackupAcrossARestartAndALockedBucketLosesNothingToKeep() throws Exception {
    PiStack stack = env.smallStack();
    stack.getSpec().backup = S3BackupsOnRealApiTest.s3Backup();
    stack.getSpec().backup.keep = 1;
    CronJob cron = started(stack);
    Job first = run(cron, 29413200);
    Job second = run(cron, 29413260);
    await().atMost(T).until(() -> recorded().size() == 2);
    assertThat(recorded()).extracting(b -> b.getMetadata().getName())
        .containsExactlyInAnyOrder(RecordedBackups.name(first), RecordedBackups.name(second));
    PiBackup one = piBackup(RecordedBackups.name(first));
    assertThat(one.getSpec().stack).isEqualTo("pi");
    assertThat(one.getMetadata().getAnnotations()).containsEntry("pistack.io/backup-job", first.getMetadata().getName());
    assertThat(one.getMetadata().getOwnerReferences()).isNullOrEmpty();
    await().atMost(T).until(() -> Stream.of(first, second).allMatch(j -> RecordedBackups.name(j).equals(
        job(j).getMetadata().getAnnotations() == null ? null
            : job(j).getMetadata().getAnnotations().get(RecordedBackups.RECORDED))));

    // The operator restarts while both run: it makes no PiBackup and no Job.
    int mark = env.operatorWrites.mark();
    env.stopOperator();
    env.startOperator();
    Quiet.untilUnchangedFor(Duration.ofSeconds(3), T, env.operatorWrites::mark);
    assertThat(env.operatorWrites.since(mark)).noneMatch(w -> w.startsWith("POST")
        && (w.contains("/pibackups") || w.contains("/jobs")));
    assertThat(recorded()).hasSize(2);
    assertThat(admin.batch().v1().jobs().inNamespace(ns).list().getItems()).extracting(j -> j.getMetadata().getName())
        .containsExactlyInAnyOrder(first.getMetadata().getName(), second.getMetadata().getName());

    try (PodScripts scripts = PodScripts.start(BUCKET)) {
      PiBackupStatus s1 = complete(scripts, first, null);
      Thread.sleep(1100); // backups are named by the second
      PiBackupStatus s2 = complete(scripts, second, null);
      String objects = scripts.objects(BUCKET);
      assertThat(s1.backupName).matches("scheduled-\\d{8}T\\d{6}Z");
      assertThat(s1.location).isEqualTo("s3://" + BUCKET + "/" + ns + "/pi/" + s1.backupName);
      long size = objects.lines().map(l -> l.split("\\s+")).filter(f -> f[0].startsWith(ns + "/pi/" + s1.backupName
          + "/")).mapToLong(f -> Long.parseLong(f[2])).sum();
      assertThat(s1.sizeBytes).isPositive().isEqualTo(size);
      assertThat(objects).contains(ns + "/pi/" + s1.backupName + "/MANIFEST\t" + s1.versionId);
      assertThat(s1.manifestSha256).matches("sha256:[0-9a-f]{64}");

      // keep: 1, but the bucket is locked (Object Lock, COMPLIANCE): the operator deletes neither an object in it
      // nor the PiBackups that list them.
      Quiet.untilUnchangedFor(Duration.ofSeconds(3), T, env.operatorWrites::mark);
      assertThat(recorded()).hasSize(2);
      assertThat(scripts.objects(BUCKET)).isEqualTo(objects).contains(s2.backupName + "/MANIFEST");

      // Deleting a recorded PiBackup deletes the object only: its Job stays in the CronJob's history, its data in
      // the bucket, and the operator does not make it again.
      admin.resource(piBackup(RecordedBackups.name(first))).delete();
      await().atMost(T).until(() -> piBackup(RecordedBackups.name(first)) == null);
      env.stopOperator();
      env.startOperator();
      Quiet.untilUnchangedFor(Duration.ofSeconds(3), T, env.operatorWrites::mark);
      assertThat(piBackup(RecordedBackups.name(first))).isNull();
      assertThat(job(first)).isNotNull();
      assertThat(scripts.objects(BUCKET)).isEqualTo(objects);
    }
  }

  @Test
  void keepPrunesTheOldestRecordedPiBackupsTogetherWithTheirFilesOnTheBackupVolume() throws Exception {
    PiStack stack = env.smallStack();
    stack.getSpec().backup = new BackupSpec();
    stack.getSpec().backup.enabled = true;
    stack.getSpec().backup.keep = 2;
    CronJob cron = started(stack);
    Path volume = Files.createTempDirectory("pi-backups");
    List<PiBackupStatus> made = new ArrayList<>();
    try (PodScripts scripts = PodScripts.start(BUCKET)) {
      for (int i = 0; i < 3; i++) {
        Job job = run(cron, 29413200 + 60 * i);
        await().atMost(T).until(() -> piBackup(RecordedBackups.name(job)) != null);
        made.add(complete(scripts, job, volume));
        Thread.sleep(1100); // backups are named by the second
      }
      // backup.sh kept the newest two directories; the operator deleted the oldest PiBackup, which had no files left.
      List<String> onVolume;
      try (Stream<Path> dirs = Files.list(volume)) {
        onVolume = dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("scheduled-")).sorted().toList();
      }
      assertThat(onVolume).containsExactly(made.get(1).backupName, made.get(2).backupName);
      await().atMost(T).untilAsserted(() -> assertThat(recorded()).extracting(b -> b.getStatus().backupName)
          .containsExactlyInAnyOrderElementsOf(onVolume));
      Quiet.untilUnchangedFor(Duration.ofSeconds(3), T, env.operatorWrites::mark);
      assertThat(recorded()).hasSize(2);
    } finally {
      try (Stream<Path> all = Files.walk(volume)) {
        all.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private CronJob started(PiStack stack) {
    admin.resource(stack).create();
    CronJob cron = await().atMost(T).until(() -> admin.batch().v1().cronjobs().inNamespace(ns).withName("pi-backup")
        .get(), Objects::nonNull);
    PodEnds.cordon(admin, true);
    return cron;
  }

  private Job run(CronJob cron, long minute) {
    return PodEnds.cronJobRun(admin, cron, minute);
  }

  /** Runs the Job's pod for real, ends it as the kubelet would, and waits for its PiBackup to complete. */
  private PiBackupStatus complete(PodScripts scripts, Job job, Path volume) throws Exception {
    Pod pod = await().atMost(T).until(() -> admin.pods().inNamespace(ns).withLabel("job-name",
        job.getMetadata().getName()).list().getItems().stream().findFirst().orElse(null), Objects::nonNull);
    List<PodScripts.Ran> ran = scripts.run(job.getSpec().getTemplate().getSpec(), volume);
    assertThat(ran).allSatisfy(r -> assertThat(r.exitCode()).as("%s: %s", r.container(), r.stderr()).isZero());
    PodEnds.succeed(admin, ns, pod, ran);
    String name = RecordedBackups.name(job);
    await().atMost(T).until(() -> piBackup(name) != null && piBackup(name).getStatus() != null
        && piBackup(name).getStatus().phase == Phase.Completed);
    PiBackupStatus s = piBackup(name).getStatus();
    assertThat(s.jobName).isEqualTo(job.getMetadata().getName());
    assertThat(s.conditions).anySatisfy(c -> {
      assertThat(c.getType()).isEqualTo("Ready");
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("BackupCompleted");
    });
    return s;
  }

  private Job job(Job j) {
    return admin.batch().v1().jobs().inNamespace(ns).withName(j.getMetadata().getName()).get();
  }

  private PiBackup piBackup(String name) {
    return admin.resources(PiBackup.class).inNamespace(ns).withName(name).get();
  }

  private List<PiBackup> recorded() {
    return admin.resources(PiBackup.class).inNamespace(ns).withLabel(RecordedBackups.ORIGIN, RecordedBackups.SCHEDULED)
        .list().getItems();
  }
}
