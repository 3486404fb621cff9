package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.status.ConditionType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * spec.restore: the restore Job runs once the database is ready, the dashboard and the scheduler
 * stay at zero replicas (and the dashboard has no HPA) until it succeeds; a refusal (the script's
 * exit 3: the database is not empty) keeps them down with reason RestoreRefused.
 */
class RestoreGateTest {
  static final String NS = "restore";
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
  void theDashboardAndSchedulerWaitForTheRestoreAndComeBackAfterIt() {
    PiStack stack = Stacks.sample("production.yaml", NS);   // dashboard autoscaling on: an HPA normally
    restore(stack, "latest", false);
    cluster.client.resource(stack).create();

    // Gated: zero replicas, no dashboard HPA; the restore waits for the database.
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(deployment("pi-dashboard").getSpec().getReplicas()).isZero();
      assertThat(deployment("pi-scheduler").getSpec().getReplicas()).isZero();
      assertThat(restoreStatus().phase).isEqualTo(RestoreStatus.Phase.Pending);
      assertThat(restoreStatus().message).contains("waiting for the database");
      assertThat(ready().getReason()).isEqualTo("Restoring");
    });
    assertThat(deployment("pi-renderer").getSpec().getReplicas()).isNull();   // renderer: not gated, autoscaled
    assertThat(hpa("pi-dashboard")).isNull();
    assertThat(hpa("pi-renderer")).isNotNull();
    assertThat(jobs()).isEmpty();

    // The database comes up (and the stopped Deployments report no pods): the restore Job starts.
    Kubelet.markAvailableOnceCreated(cluster.client, NS, 5);
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(jobs()).hasSize(1);
      assertThat(restoreStatus().phase).isEqualTo(RestoreStatus.Phase.Running);
    });
    Job job = jobs().get(0);
    assertThat(job.getMetadata().getName()).startsWith("pi-restore-");
    assertThat(restoreStatus().jobName).isEqualTo(job.getMetadata().getName());
    var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(container.getCommand()).containsExactlyElementsOf(io.pistack.operator.model.ScriptCommands.of("restore.sh"));
    assertThat(env(container.getEnv(), "RESTORE_BACKUP").getValue()).isEqualTo("latest");
    assertThat(env(container.getEnv(), "RESTORE_FORCE").getValue()).isEqualTo("false");
    assertThat(env(container.getEnv(), "DB_HOST").getValue()).isEqualTo("pi-db");
    assertThat(env(container.getEnv(), "DB_PASSWORD").getValue()).isNull();
    assertThat(env(container.getEnv(), "DB_PASSWORD").getValueFrom().getSecretKeyRef().getName())
        .isEqualTo("pi-db-credentials");
    assertThat(deployment("pi-dashboard").getSpec().getReplicas()).isZero();
    assertThat(ready().getStatus()).isEqualTo("False");

    JobController.succeed(cluster.client, job, Instant.now(),
        "{\"name\":\"scheduled-20250131T020000Z\",\"location\":\"/backups/scheduled-20250131T020000Z\","
            + "\"schema\":\"dashboard\",\"tables\":57,\"forced\":false,\"completedAt\":\"2025-01-31T09:00:00Z\"}");

    // Back: the dashboard to its autoscaler (HPA again, restarted at its minimum of 2: an HPA never
    // scales a Deployment up from zero), the scheduler to one.
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(restoreStatus().phase).isEqualTo(RestoreStatus.Phase.Succeeded);
      assertThat(deployment("pi-scheduler").getSpec().getReplicas()).isEqualTo(1);
      assertThat(hpa("pi-dashboard")).isNotNull();
      assertThat(deployment("pi-dashboard").getSpec().getReplicas()).isEqualTo(2);
    });
    assertThat(restoreStatus().message).contains("scheduled-20250131T020000Z").contains("57 tables");
    assertThat(restoreStatus().completionTime).isNotNull();
    assertThat(events("RestoreSucceeded")).hasSize(1);
    Kubelet.markAvailable(cluster.client, NS);
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(ready().getStatus()).isEqualTo("True"));

    // Once only: a deleted Job is not recreated, a restarted operator does not restore again.
    cluster.client.resource(job).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client.resource(job).get() == null);
    cluster.stopOperator();
    cluster.startOperator();
    // The restarted operator's reconcile of the stack ran to the end (then 2 s more without a Job).
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.reconciles().of(NS, "pi") >= 1);
    Quiet.watch(Duration.ofSeconds(2), () -> jobs().isEmpty());
    assertThat(jobs()).isEmpty();
    assertThat(restoreStatus().phase).isEqualTo(RestoreStatus.Phase.Succeeded);
    assertThat(deployment("pi-scheduler").getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void aNonEmptyDatabaseIsRefusedUntilForced() {
    PiStack stack = Stacks.sample("minimal.yaml", NS);
    restore(stack, "scheduled-20250131T020000Z", false);
    cluster.client.resource(stack).create();
    Kubelet.markAvailableOnceCreated(cluster.client, NS, 5);
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> jobs().size() == 1);
    Job refused = jobs().get(0);

    JobController.fail(cluster.client, refused, Instant.now(), 3,
        "{\"error\":\"database dashboard is not empty (57 tables); set force to overwrite\",\"exitCode\":3}", 0);

    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(restoreStatus().phase).isEqualTo(RestoreStatus.Phase.Refused);
      assertThat(ready().getStatus()).isEqualTo("False");
      assertThat(ready().getReason()).isEqualTo("RestoreRefused");
      assertThat(condition(ConditionType.PROGRESSING.wire()).getReason()).isEqualTo("RestoreRefused");
      assertThat(events("RestoreRefused")).hasSize(1);
    });
    assertThat(restoreStatus().message).contains("not empty").contains("57 tables").contains("force");
    assertThat(events("RestoreRefused").get(0).getType()).isEqualTo("Warning");
    // The stack stays down in a fresh reconcile too (a restarted operator's: nothing else is due).
    cluster.stopOperator();
    cluster.startOperator();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.reconciles().of(NS, "pi") >= 1);
    assertThat(deployment("pi-dashboard").getSpec().getReplicas()).isZero();
    assertThat(deployment("pi-scheduler").getSpec().getReplicas()).isZero();
    assertThat(jobs()).extracting(j -> j.getMetadata().getName()).containsExactly(refused.getMetadata().getName());

    // The user forces it: a new request, a new Job; the refused one goes.
    Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().restore.force = true);
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(jobs()).hasSize(1);
      assertThat(jobs().get(0).getMetadata().getName()).isNotEqualTo(refused.getMetadata().getName());
    });
    Job forced = jobs().get(0);
    assertThat(env(forced.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv(), "RESTORE_FORCE")
        .getValue()).isEqualTo("true");
    JobController.succeed(cluster.client, forced, Instant.now(), "{\"name\":\"scheduled-20250131T020000Z\"}");
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(restoreStatus().phase).isEqualTo(RestoreStatus.Phase.Succeeded);
      assertThat(deployment("pi-dashboard").getSpec().getReplicas()).isEqualTo(3);
      assertThat(deployment("pi-scheduler").getSpec().getReplicas()).isEqualTo(1);
    });
  }

  @Test
  void removingTheRestoreForgetsItAndOpensTheGate() {
    PiStack stack = Stacks.sample("minimal.yaml", NS);
    restore(stack, "latest", false);
    cluster.client.resource(stack).create();
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() ->
        deployment("pi-dashboard").getSpec().getReplicas() == 0);

    Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().restore = null);
    // (status.restore is no longer applied; a real API server prunes it, the mock keeps stale fields.)
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(deployment("pi-dashboard").getSpec().getReplicas()).isEqualTo(3);
      assertThat(deployment("pi-scheduler").getSpec().getReplicas()).isEqualTo(1);
      assertThat(ready().getReason()).isNotEqualTo("Restoring");
    });
  }

  private static void restore(PiStack stack, String backup, boolean force) {
    stack.getSpec().restore = new RestoreSpec();
    stack.getSpec().restore.backup = backup;
    stack.getSpec().restore.force = force;
  }

  static EnvVar env(List<EnvVar> env, String name) {
    return env.stream().filter(e -> name.equals(e.getName())).findFirst().orElseThrow();
  }

  private List<Job> jobs() {
    return cluster.client.batch().v1().jobs().inNamespace(NS).list().getItems();
  }

  private List<Event> events(String reason) {
    return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason())).toList();
  }

  private Deployment deployment(String name) {
    return cluster.client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  private Object hpa(String name) {
    return cluster.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName(name).get();
  }

  private PiStack stack() {
    return cluster.client.resources(PiStack.class).inNamespace(NS).withName("pi").get();
  }

  private RestoreStatus restoreStatus() {
    return stack().getStatus().restore;
  }

  private Condition ready() {
    return condition(ConditionType.READY.wire());
  }

  private Condition condition(String type) {
    return stack().getStatus().conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
