package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pistack.operator.status.ConditionType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A creation whose database pod the scheduler cannot place for a while (on the bench: its claim bound after
 * the scheduler's 20 s, under load) costs its first status, the turn to Unschedulable and Ready: the
 * components becoming available meanwhile, and the claim bound, are progress (CreationProgress). Before,
 * every component's step was written while the stack was Unschedulable: measured 4 to 6 status writes per
 * such stack on the bench; here 2 + 5 before Ready, one per component (measured on the old code).
 */
class CreationWaitingForTheSchedulerTest {
  static final String NS = "unplaced";
  static final Duration WAIT = Duration.ofSeconds(30);
  MockCluster cluster;
  StatusAssertions pi;

  @BeforeEach
  void start() {
    cluster = new MockCluster().startOperator();
    Stacks.licenceSecret(cluster.client, NS);
    pi = new StatusAssertions(cluster.client, NS, "pi");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void theWaitIsWrittenOnceAndTheProgressMeanwhileWaitsForReady() {
    cluster.client.resource(Stacks.sample("minimal.yaml", NS)).create();
    await().atMost(WAIT).until(() -> deployments().size() == 5 && pi.stack().getStatus() != null);
    assertThat(pi.state(ConditionType.READY.wire())).isEqualTo("False/ComponentsNotReady");

    // The database pod, unplaced for 30 s already (past UnplacedPods.SETTLE): Ready says so at once.
    StatefulSet db = cluster.client.apps().statefulSets().inNamespace(NS).list().getItems().get(0);
    Pod pod = cluster.client.resource(new PodBuilder().withNewMetadata().withName(db.getMetadata().getName() + "-0")
        .withNamespace(NS).withLabels(db.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
        .withNewSpec().withContainers(db.getSpec().getTemplate().getSpec().getContainers()).endSpec().build()).create();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Pending")
        .withConditions(new PodConditionBuilder().withType("PodScheduled").withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims.")
            .withLastTransitionTime(Instant.now().minusSeconds(30).toString()).build()).build());
    cluster.client.resource(pod).updateStatus();
    await().atMost(WAIT).until(() -> "False/Unschedulable".equals(pi.state(ConditionType.READY.wire())));
    Quiet.untilUnchangedFor(Duration.ofSeconds(2), WAIT, this::statusWrites);
    assertThat(statusWrites()).as("the first status and the turn to Unschedulable").isEqualTo(2);

    // Meanwhile the components become available, one after the other: progress, held back.
    for (Deployment d : deployments()) {
      long mark = System.nanoTime();
      Kubelet.available(cluster.client, d);
      await().atMost(WAIT).until(() -> cluster.reconciles().completedSince(NS, "pi", mark));
      Quiet.untilUnchangedFor(Duration.ofSeconds(1), WAIT, this::statusWrites);
    }
    assertThat(statusWrites()).as("no write for the components' progress while Unschedulable").isEqualTo(2);
    assertThat(pi.state("DashboardReady")).as("held back").startsWith("False/");

    // The claim is bound, the pod placed and ready: Ready, at once.
    cluster.client.resource(pod).delete();
    Kubelet.ready(cluster.client, cluster.client.resource(db).get());
    await().atMost(WAIT).until(() -> "True/AllComponentsReady".equals(pi.state(ConditionType.READY.wire())));
    Quiet.untilUnchangedFor(Duration.ofSeconds(2), WAIT, this::statusWrites);
    assertThat(statusWrites()).as("first status, Unschedulable, Ready").isEqualTo(3);
  }

  private int statusWrites() {
    return (int) cluster.dispatcher.writes().stream()
        .filter(w -> w.startsWith("PATCH ") && w.contains("/namespaces/" + NS + "/pistacks/pi/status")).count();
  }

  private List<Deployment> deployments() {
    return cluster.client.apps().deployments().inNamespace(NS).list().getItems();
  }
}
