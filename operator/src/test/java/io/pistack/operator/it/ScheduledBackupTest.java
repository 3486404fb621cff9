package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.status.ConditionType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The backup CronJob, and its runs reaching the status through the Job informer (no polling):
 * last success (name, size, location), last failure, the BackupFailing condition. Then a
 * reconcile of the converged stack writes nothing and reads no pods.
 */
class ScheduledBackupTest {
  static final String NS = "backups";
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
  void cronJobRunsReachTheStatusAndAConvergedStackMakesZeroWrites() {
    cluster.client.resource(Stacks.sample("with-backups.yaml", NS)).create();
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() ->
        cluster.client.apps().deployments().inNamespace(NS).list().getItems().size() == 5 && cronJob() != null
            && cluster.client.apps().statefulSets().inNamespace(NS).withName("pi-db").get() != null); // Kubelet.markAvailableOnceCreated
    Kubelet.markAvailable(cluster.client, NS);
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(condition(ConditionType.READY.wire()).getStatus()).isEqualTo("True");
      assertThat(condition(ConditionType.BACKUP_FAILING.wire()).getReason()).isEqualTo("NoBackupYet");
    });

    CronJob cj = cronJob();
    assertThat(cj.getSpec().getSchedule()).isEqualTo("0 2 * * *");
    assertThat(cj.getSpec().getTimeZone()).isEqualTo("Europe/London");
    assertThat(cj.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(cj.getMetadata().getOwnerReferences()).hasSize(1);
    var pod = cj.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).extracting(Volume::getName).contains("backups", "shared").doesNotContain("scripts");
    assertThat(pod.getVolumes().stream().filter(v -> v.getName().equals("shared")).findFirst().orElseThrow()
        .getPersistentVolumeClaim().getReadOnly()).isTrue();
    // The scripts are carried in the pod spec: no ConfigMap.
    assertThat(cluster.client.configMaps().inNamespace(NS).withName("pi-backup-scripts").get()).isNull();

    Job first = JobController.runCronJob(cluster.client, cj, "29000000");
    JobController.succeed(cluster.client, first, Instant.parse("2025-01-31T02:00:40Z"),
        "{\"name\":\"scheduled-20250131T020003Z\",\"location\":\"/backups/scheduled-20250131T020003Z\","
            + "\"sizeBytes\":52428800,\"completedAt\":\"2025-01-31T02:00:39Z\"}");
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      var b = stack().getStatus().backup;
      assertThat(b.lastBackupName).isEqualTo("scheduled-20250131T020003Z");
      assertThat(b.sizeBytes).isEqualTo(52428800L);
      assertThat(b.location).isEqualTo("pvc:pi-backups/scheduled-20250131T020003Z");
      assertThat(b.lastSuccessfulTime).isEqualTo("2025-01-31T02:00:40Z");
      assertThat(condition(ConditionType.BACKUP_FAILING.wire()).getReason()).isEqualTo("BackupSucceeded");
    });
    // A CronJob run belongs to the CronJob: the operator neither deletes nor adopts it.
    assertThat(cluster.client.resource(first).get()).isNotNull();

    Job second = JobController.runCronJob(cluster.client, cj, "29001440");
    JobController.fail(cluster.client, second, Instant.parse("2025-02-01T02:03:00Z"), 1,
        "{\"error\":\"database dump failed (exit status of dump and gzip: 2 0)\",\"exitCode\":1}", -1);
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Condition failing = condition(ConditionType.BACKUP_FAILING.wire());
      assertThat(failing.getStatus()).isEqualTo("True");
      assertThat(failing.getReason()).isEqualTo("BackupFailed");
      assertThat(failing.getMessage()).contains("pi-backup-29001440").contains("database dump failed");
      assertThat(events("BackupFailed")).hasSize(1);
    });
    var b = stack().getStatus().backup;
    assertThat(b.lastFailureTime).isEqualTo("2025-02-01T02:03:00Z");
    assertThat(b.lastBackupName).isEqualTo("scheduled-20250131T020003Z");
    // A failed backup is not an outage: the stack stays Ready.
    assertThat(condition(ConditionType.READY.wire()).getStatus()).isEqualTo("True");

    Job third = JobController.runCronJob(cluster.client, cj, "29002880");
    JobController.succeed(cluster.client, third, Instant.parse("2025-02-02T02:00:41Z"),
        "{\"name\":\"scheduled-20250202T020002Z\",\"location\":\"/backups/scheduled-20250202T020002Z\","
            + "\"sizeBytes\":52430000,\"completedAt\":\"2025-02-02T02:00:40Z\"}");
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(condition(ConditionType.BACKUP_FAILING.wire()).getStatus()).isEqualTo("False");
      assertThat(stack().getStatus().backup.lastBackupName).isEqualTo("scheduled-20250202T020002Z");
    });
    cluster.awaitConverged(NS, "pi");
    // Each run is one PiBackup (issue 26), its status from the run: completed, failed, completed.
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Stream.of(first, second,
        third).map(j -> cluster.client.resources(io.pistack.operator.api.v1alpha1.PiBackup.class).inNamespace(NS)
        .withName(io.pistack.operator.model.RecordedBackups.name(j)).get().getStatus().phase.name()).toList())
        .containsExactly("Completed", "Failed", "Completed"));
    assertThat(cluster.client.resources(io.pistack.operator.api.v1alpha1.PiBackup.class).inNamespace(NS).list()
        .getItems()).hasSize(3);

    // A restarted operator reconciles the converged stack: no writes at all, and no pod reads.
    int podReadsBefore = podReads();
    assertThat(podReadsBefore).as("the outcomes above were read from the Jobs' pods").isPositive();
    List<String> writes = cluster.writesOfARestart(NS, "pi");
    assertThat(writes).as("writes during a no-op reconcile").isEmpty();
    assertThat(podReads()).isEqualTo(podReadsBefore);
  }

  private int podReads() {
    return cluster.dispatcher.count("GET /api/v1/namespaces/" + NS + "/pods", true);
  }


  private CronJob cronJob() {
    return cluster.client.batch().v1().cronjobs().inNamespace(NS).withName("pi-backup").get();
  }

  private List<Event> events(String reason) {
    return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  private PiStack stack() {
    return cluster.client.resources(PiStack.class).inNamespace(NS).withName("pi").get();
  }

  private Condition condition(String type) {
    return stack().getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
