package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupSpec;
import io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PiBackup controller wired as in production, on the mock API server: one Job per PiBackup, also across a
 * restart mid-run; its status from the Job and the script's termination message; the stack counting it as its newest
 * backup; and a restart that finds a PiBackup running or settled writes nothing (no status, no Job).
 */
class OnDemandBackupTest {
  static final String NS = "ondemand";
  MockCluster cluster;

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
  void onePiBackupIsOneJobAcrossARestartAndASettledOneCostsNoWrite() {
    cluster.client.resource(Stacks.sample("with-backups.yaml", NS)).create();
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() ->
        cluster.client.batch().v1().cronjobs().inNamespace(NS).withName("pi-backup").get() != null);
    cluster.client.resource(backup("before-upgrade")).create();

    await().atMost(Duration.ofSeconds(30)).until(() -> jobs().size() == 1 && status() != null
        && status().jobName != null);
    Job job = jobs().get(0);
    assertThat(status().jobName).isEqualTo(job.getMetadata().getName());
    assertThat(status().phase).isEqualTo(Phase.Pending);

    // Restart mid-run: the restarted operator reconciles the PiBackup, finds its Job, creates none and writes nothing.
    List<String> restart = writesOfARestart();
    assertThat(restart).as("writes of a restart while the backup runs").isEmpty();
    assertThat(jobs()).extracting(j -> j.getMetadata().getUid()).containsExactly(job.getMetadata().getUid());

    JobController.succeed(cluster.client, job, Instant.parse("2026-12-07T01:00:40Z"),
        "{\"name\":\"on-demand-20261207T010003Z\",\"location\":\"/backups/on-demand-20261207T010003Z\","
            + "\"sizeBytes\":52428800,\"completedAt\":\"2026-12-07T01:00:39Z\",\"manifestSha256\":\"sha256:0a1b\"}");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(status().phase).isEqualTo(Phase.Completed);
      assertThat(status().backupName).isEqualTo("on-demand-20261207T010003Z");
      assertThat(status().location).isEqualTo("/backups/on-demand-20261207T010003Z");
      assertThat(status().sizeBytes).isEqualTo(52428800L);
      assertThat(status().manifestSha256).isEqualTo("sha256:0a1b");
      assertThat(status().conditions).anySatisfy(c -> {
        assertThat(c.getType()).isEqualTo("Ready");
        assertThat(c.getStatus()).isEqualTo("True");
      });
    });

    // The stack counts it as its newest backup: status.backup and the last-backup metric ("can I recover?").
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var b = cluster.client.resources(io.pistack.operator.api.v1alpha1.PiStack.class).inNamespace(NS).withName("pi")
          .get().getStatus().backup;
      assertThat(b.lastBackupName).isEqualTo("on-demand-20261207T010003Z");
      assertThat(b.lastSuccessfulTime).isEqualTo("2026-12-07T01:00:40Z");
      assertThat(b.sizeBytes).isEqualTo(52428800L);
      assertThat(cluster.runtime().metrics().registry()
          .find(io.pistack.operator.metrics.OperatorMetrics.BACKUP_SUCCEEDED_AT).tags("namespace", NS, "name", "pi")
          .gauge().value()).isEqualTo((double) Instant.parse("2026-12-07T01:00:40Z").getEpochSecond());
    });
    cluster.awaitConverged(NS, "pi");

    // Settled: a restart reads nothing of it and writes nothing.
    assertThat(writesOfARestart()).as("writes of a restart with the backup completed").isEmpty();
    assertThat(jobs()).hasSize(1);
  }

  @Test
  void aPiBackupOfAStackThatDoesNotExistFailsWithAReason() {
    cluster.client.resource(backup("orphan")).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> status() != null && status().phase == Phase.Failed);
    assertThat(status().reason).isEqualTo("StackNotFound");
    assertThat(status().message).contains("PiStack pi does not exist in namespace " + NS);
    assertThat(jobs()).isEmpty();
  }

  /** Restarts the operator; its writes until it reconciled the PiBackup, and while none followed for 2 s more. */
  private List<String> writesOfARestart() {
    cluster.stopOperator();
    int before = cluster.dispatcher.writes().size();
    cluster.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(() -> PiBackupReconciles.completed(cluster.runtime()) >= 1);
    Quiet.watch(Duration.ofSeconds(2), () -> cluster.dispatcher.writes().size() == before);
    List<String> writes = cluster.dispatcher.writes();
    return writes.subList(before, writes.size()).stream()
        .filter(w -> w.contains("/pibackups") || w.contains("/jobs")).toList();
  }



  private PiBackup backup(String name) {
    PiBackup b = new PiBackup();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace(NS);
    b.setSpec(new PiBackupSpec());
    b.getSpec().stack = "pi";
    return b;
  }

  private io.pistack.operator.api.v1alpha1.PiBackupStatus status() {
    List<PiBackup> all = cluster.client.resources(PiBackup.class).inNamespace(NS).list().getItems();
    return all.isEmpty() ? null : all.get(0).getStatus();
  }

  private List<Job> jobs() {
    return cluster.client.batch().v1().jobs().inNamespace(NS).withLabel("pistack.io/owner-kind", "PiBackup")
        .list().getItems();
  }

}
