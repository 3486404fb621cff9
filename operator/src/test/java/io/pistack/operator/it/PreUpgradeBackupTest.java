package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.status.ConditionType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Safe upgrades: with backups on, a version change first runs a pre-upgrade backup Job; the
 * Deployments keep the running version until it succeeds. A failed backup holds the upgrade with
 * Progressing=False reason PreUpgradeBackupFailed and a Warning event.
 */
class PreUpgradeBackupTest {
  static final String NS = "upgrade";
  static final String OLD = "2025_10.1";
  static final String NEW = "2026_01.0";
  MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster().startOperator();
    Stacks.licenceSecret(cluster.client, NS);
    // The backup gate is judged here; the rollout after it is the rolling one (the mock has no
    // controllers to drain pods; the drained default is judged in UpgradeDrainOnRealApiTest and,
    // with backups, BackupsOnRealApiTest).
    var stack = Stacks.sample("with-backups.yaml", NS);
    stack.getSpec().upgrade = new io.pistack.operator.api.v1alpha1.UpgradeSpec();
    stack.getSpec().upgrade.strategy = io.pistack.operator.api.v1alpha1.UpgradeSpec.Strategy.Rolling;
    cluster.client.resource(stack).create();
    Kubelet.markAvailableOnceCreated(cluster.client, NS, 5);
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() ->
        "True".equals(condition(ConditionType.READY.wire()).getStatus()));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void theBackupRunsFirstAndTheRolloutFollowsItsSuccess() {
    Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().version = NEW);

    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(preUpgradeJobs()).hasSize(1);
      assertThat(condition(ConditionType.PROGRESSING.wire()).getReason()).isEqualTo("PreUpgradeBackup");
    });
    Job job = preUpgradeJobs().get(0);
    assertThat(job.getMetadata().getName()).startsWith("pi-pre-upgrade-2026-01-0-");
    var env = job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(RestoreGateTest.env(env, "BACKUP_PREFIX").getValue()).isEqualTo("pre-upgrade");
    assertThat(job.getMetadata().getAnnotations()).containsEntry("pistack.io/from-version", OLD)
        .containsEntry("pistack.io/to-version", NEW);
    assertThat(condition(ConditionType.READY.wire()).getStatus()).isEqualTo("False");
    assertThat(events("PreUpgradeBackup")).hasSize(1);
    // Held: the Deployments still run the old version, also after a fresh reconcile of the stack (a
    // restarted operator's: nothing else is due while the Job runs).
    cluster.stopOperator();
    cluster.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.reconciles().of(NS, "pi") >= 1);
    assertAllImages(OLD);
    assertThat(preUpgradeJobs()).hasSize(1);

    JobController.succeed(cluster.client, job, Instant.parse("2026-01-15T10:00:00Z"),
        "{\"name\":\"pre-upgrade-20260115T095930Z\",\"location\":\"/backups/pre-upgrade-20260115T095930Z\","
            + "\"sizeBytes\":123456,\"completedAt\":\"2026-01-15T09:59:58Z\"}");

    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertAllImages(NEW));
    assertThat(deployment("pi-dashboard").getMetadata().getLabels()).containsEntry("app.kubernetes.io/version", NEW);
    // The backup is in the status (written at the end of the reconcile that rolled the Deployments);
    // the Job, done, goes once the Deployments run the new version.
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> stack().getStatus().backup != null);
    var backup = stack().getStatus().backup;
    assertThat(backup.lastBackupName).isEqualTo("pre-upgrade-20260115T095930Z");
    assertThat(backup.sizeBytes).isEqualTo(123456L);
    assertThat(backup.location).isEqualTo("pvc:pi-backups/pre-upgrade-20260115T095930Z");
    assertThat(backup.lastSuccessfulTime).isEqualTo("2026-01-15T10:00:00Z");
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> preUpgradeJobs().isEmpty());
    Kubelet.markAvailable(cluster.client, NS);
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(condition(ConditionType.READY.wire()).getStatus()).isEqualTo("True");
      assertThat(condition(ConditionType.BACKUP_FAILING.wire()).getStatus()).isEqualTo("False");
      assertThat(condition(ConditionType.BACKUP_FAILING.wire()).getReason()).isEqualTo("BackupSucceeded");
    });
    // The pre-upgrade backup is a PiBackup (issue 26), labelled and annotated as such, completed from the Job's
    // outcome before the Job went, and it stays.
    var recorded = cluster.client.resources(io.pistack.operator.api.v1alpha1.PiBackup.class).inNamespace(NS)
        .withLabel("pistack.io/backup-origin", "pre-upgrade").list().getItems();
    assertThat(recorded).singleElement().satisfies(b -> {
      assertThat(b.getMetadata().getName()).isEqualTo(io.pistack.operator.model.RecordedBackups.name(job));
      assertThat(b.getMetadata().getAnnotations()).containsEntry("pistack.io/from-version", OLD)
          .containsEntry("pistack.io/to-version", NEW).containsEntry("pistack.io/backup-job", job.getMetadata().getName());
      assertThat(b.getStatus().phase).isEqualTo(io.pistack.operator.api.v1alpha1.PiBackupStatus.Phase.Completed);
      assertThat(b.getStatus().backupName).isEqualTo("pre-upgrade-20260115T095930Z");
    });
  }

  @Test
  void aFailedBackupHoldsTheUpgradeWithAReasonAndAWarning() {
    Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().version = NEW);
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> preUpgradeJobs().size() == 1);
    Job job = preUpgradeJobs().get(0);

    JobController.fail(cluster.client, job, Instant.now(), 1,
        "{\"error\":\"cannot connect to pi-db:3306 as root\",\"exitCode\":1}", -1);

    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Condition progressing = condition(ConditionType.PROGRESSING.wire());
      assertThat(progressing.getStatus()).isEqualTo("False");
      assertThat(progressing.getReason()).isEqualTo("PreUpgradeBackupFailed");
      assertThat(progressing.getMessage()).contains(job.getMetadata().getName())
          .contains("cannot connect to pi-db:3306").contains("stay at " + OLD);
      assertThat(condition(ConditionType.READY.wire()).getReason()).isEqualTo("PreUpgradeBackupFailed");
      assertThat(condition(ConditionType.DEGRADED.wire()).getStatus()).isEqualTo("True");
      assertThat(condition(ConditionType.BACKUP_FAILING.wire()).getStatus()).isEqualTo("True");
      assertThat(events("PreUpgradeBackupFailed")).hasSize(1);
    });
    assertThat(events("PreUpgradeBackupFailed").get(0).getType()).isEqualTo("Warning");
    assertThat(stack().getStatus().backup.lastFailureMessage).contains("cannot connect to pi-db:3306");
    // Never proceeds silently: the Deployments stay, the failed Job stays (no automatic retry), also
    // in a fresh reconcile (a restarted operator's: nothing else is due).
    cluster.stopOperator();
    cluster.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.reconciles().of(NS, "pi") >= 1);
    assertAllImages(OLD);
    assertThat(preUpgradeJobs()).extracting(j -> j.getMetadata().getName())
        .containsExactly(job.getMetadata().getName());

    // Retry: deleting the failed Job starts a new attempt.
    cluster.client.resource(job).delete();
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(preUpgradeJobs()).hasSize(1);
      assertThat(preUpgradeJobs().get(0).getMetadata().getUid()).isNotEqualTo(job.getMetadata().getUid());
    });
    assertAllImages(OLD);
  }

  @Test
  void withoutBackupsAVersionChangeRollsAtOnce() {
    Stacks.edit(cluster.client, NS, "pi", s -> {
      s.getSpec().backup.enabled = false;
      s.getSpec().version = NEW;
    });
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertAllImages(NEW));
    assertThat(preUpgradeJobs()).isEmpty();
    assertThat(cluster.client.batch().v1().cronjobs().inNamespace(NS).withName("pi-backup").get()).isNull();
  }

  private void assertAllImages(String version) {
    assertThat(cluster.client.apps().deployments().inNamespace(NS).list().getItems()).hasSize(5)
        .allSatisfy(d -> assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
            .as(d.getMetadata().getName()).endsWith(":" + version));
  }

  private List<Job> preUpgradeJobs() {
    return cluster.client.batch().v1().jobs().inNamespace(NS).withLabel("pistack.io/job-kind", "pre-upgrade-backup")
        .list().getItems();
  }

  private List<Event> events(String reason) {
    return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  private Deployment deployment(String name) {
    return cluster.client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  private PiStack stack() {
    return cluster.client.resources(PiStack.class).inNamespace(NS).withName("pi").get();
  }

  private Condition condition(String type) {
    return stack().getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
