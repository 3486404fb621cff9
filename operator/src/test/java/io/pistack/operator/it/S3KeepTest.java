package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.model.RecordedBackups;
import io.pistack.operator.model.S3PruneJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.backup.keep on an S3 target, the operator wired as in production on the mock API server (Jobs and pods played
 * by JobController): the PiBackup beyond keep gets one prune Job (owned by it) and is deleted only once that Job
 * succeeded; a prune refused by Object Lock keeps the PiBackup with the condition Retained (ObjectLocked) and the
 * date; another failure says the script's error (PruneFailed); a restart then writes nothing; and nothing is pruned
 * while a restore of the stack is asked for.
 */
class S3KeepTest {
  static final String NS = "s3keep";
  static final Duration T = Duration.ofSeconds(30);
  MockCluster cluster;
  CronJob cron;
  int runs;

  @BeforeEach
  void start() {
    cluster = new MockCluster().startOperator();
    Stacks.licenceSecret(cluster.client, NS);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void theDataGoesFirstThenThePiBackupAndALockedOrFailedPruneIsReportedAndKept() {
    create(null);
    PiBackup first = completedRun();
    PiBackup second = completedRun();

    // keep: 1. The older one's data is deleted first, by its own prune Job; the PiBackup stays meanwhile.
    Job prune = await().atMost(T).until(() -> pruneJob(first), java.util.Objects::nonNull);
    List<String> command = prune.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand();
    assertThat(command.subList(command.size() - 2, command.size()))
        .containsExactly("delete", first.getStatus().backupName);
    assertThat(prune.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(first.getMetadata().getUid()));
    cluster.awaitConverged(NS, "pi");
    assertThat(pruneJobs()).as("one prune Job, for the PiBackup beyond keep only").hasSize(1);
    assertThat(piBackup(first)).isNotNull();
    // A restart while it runs makes no second Job and writes nothing.
    assertThat(cluster.writesOfARestart(NS, "pi")).as("writes of a restart while the prune Job runs").isEmpty();

    JobController.succeed(cluster.client, prune, Instant.parse("2026-12-07T03:00:00Z"),
        "{\"name\":\"" + first.getStatus().backupName + "\",\"location\":\"s3://acme-pi-backups/prod/pi/x\","
            + "\"deletedVersions\":3}");
    await().atMost(T).until(() -> piBackup(first) == null);
    assertThat(piBackup(second)).isNotNull();

    // Under Object Lock: refused (exit 3, the Job failed by its failure policy); the PiBackup stays and says until when.
    PiBackup third = completedRun();
    Job locked = await().atMost(T).until(() -> pruneJob(second), java.util.Objects::nonNull);
    JobController.fail(cluster.client, locked, Instant.parse("2026-12-07T04:00:00Z"), 3,
        "{\"error\":\"s3://acme-pi-backups/prod/pi/x is under Object Lock (COMPLIANCE retention until"
            + " 2099-01-01T00:00:00Z): not deleting it\",\"exitCode\":3,\"locked\":true,\"mode\":\"COMPLIANCE\","
            + "\"retainUntil\":\"2099-01-01T00:00:00Z\",\"legalHold\":false}", 0);
    await().ignoreExceptions().atMost(T).untilAsserted(() -> {
      PiBackup b = piBackup(second);
      assertThat(b.getStatus().lockedUntil).isEqualTo("2099-01-01T00:00:00Z");
      Condition c = retained(b);
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getReason()).isEqualTo("ObjectLocked");
      assertThat(c.getMessage()).contains("COMPLIANCE retention until 2099-01-01T00:00:00Z");
      assertThat(b.getStatus().phase).isEqualTo(Phase.Completed);
    });

    // Another failure: the PiBackup stays and says the script's error.
    PiBackup fourth = completedRun();
    Job failing = await().atMost(T).until(() -> pruneJob(third), java.util.Objects::nonNull);
    JobController.fail(cluster.client, failing, Instant.parse("2026-12-07T05:00:00Z"), 1,
        "{\"error\":\"cannot list the versions in s3://acme-pi-backups/prod/pi/x/\",\"exitCode\":1}", -1);
    await().ignoreExceptions().atMost(T).untilAsserted(() -> {
      Condition c = retained(piBackup(third));
      assertThat(c.getReason()).isEqualTo("PruneFailed");
      assertThat(c.getMessage()).contains("cannot list the versions").contains(failing.getMetadata().getName());
      assertThat(piBackup(third).getStatus().lockedUntil).isNull();
    });
    assertThat(piBackup(second)).isNotNull();
    assertThat(piBackup(fourth)).isNotNull();
    assertThat(pruneJob(fourth)).isNull();

    // Settled: a restart writes nothing (the termination messages were read once and kept on the Jobs).
    cluster.awaitConverged(NS, "pi");
    assertThat(cluster.writesOfARestart(NS, "pi")).as("writes of a restart once settled").isEmpty();
  }

  @Test
  void nothingIsPrunedWhileARestoreIsAskedFor() {
    RestoreSpec restore = new RestoreSpec();
    restore.backup = "latest";
    create(restore);
    PiBackup first = completedRun();
    completedRun();
    cluster.awaitConverged(NS, "pi");
    assertThat(pruneJobs()).as("prune Jobs while a restore is asked for").isEmpty();
    assertThat(piBackup(first)).isNotNull();

    Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().restore = null);
    await().atMost(T).until(() -> pruneJob(first) != null);
  }

  private void create(RestoreSpec restore) {
    PiStack stack = Stacks.sample("s3-backups.yaml", NS);
    stack.getSpec().backup.keep = 1;
    stack.getSpec().restore = restore;
    cluster.client.resource(stack).create();
    cron = await().ignoreExceptions().atMost(T).until(() -> cluster.client.batch().v1().cronjobs().inNamespace(NS)
        .withName("pi-backup").get(), java.util.Objects::nonNull);
  }

  /** One run of the CronJob, uploaded: its PiBackup once Completed. */
  private PiBackup completedRun() {
    runs++;
    Job job = JobController.runCronJob(cluster.client, cron, Long.toString(29413200 + 60L * runs));
    String name = String.format("scheduled-20261207T01%02d00Z", runs);
    JobController.succeed(cluster.client, job, Instant.parse("2026-12-07T01:00:00Z").plusSeconds(60L * runs),
        "{\"name\":\"" + name + "\",\"location\":\"s3://acme-pi-backups/prod/pi/" + name + "\",\"sizeBytes\":5000,"
            + "\"completedAt\":\"2026-12-07T01:00:00Z\",\"retainUntil\":null,\"manifestSha256\":\"sha256:0a\","
            + "\"versionId\":\"v" + runs + "\"}");
    String backup = RecordedBackups.name(job);
    return await().atMost(T).until(() -> {
      PiBackup b = cluster.client.resources(PiBackup.class).inNamespace(NS).withName(backup).get();
      return b != null && b.getStatus() != null && b.getStatus().phase == Phase.Completed ? b : null;
    }, java.util.Objects::nonNull);
  }

  private PiBackup piBackup(PiBackup b) {
    return cluster.client.resources(PiBackup.class).inNamespace(NS).withName(b.getMetadata().getName()).get();
  }

  private List<Job> pruneJobs() {
    return cluster.client.batch().v1().jobs().inNamespace(NS).withLabel("pistack.io/job-kind", S3PruneJobs.KIND)
        .list().getItems();
  }

  private Job pruneJob(PiBackup b) {
    return cluster.client.batch().v1().jobs().inNamespace(NS).withName(S3PruneJobs.name(b)).get();
  }

  private static Condition retained(PiBackup b) {
    return b.getStatus().conditions.stream().filter(c -> "Retained".equals(c.getType())).findFirst().orElseThrow();
  }
}
