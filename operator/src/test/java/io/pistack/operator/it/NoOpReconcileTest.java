package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A reconcile of a converged stack must not write anything: not children, not status, not events. */
class NoOpReconcileTest {
  static final String NS = "noop";
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
  void reconcilingAConvergedStackMakesZeroWrites() {
    cluster.client.resource(Stacks.sample("production.yaml", NS)).create();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        cluster.client.apps().deployments().inNamespace(NS).list().getItems().size() == 5);
    Kubelet.markAvailable(cluster.client, NS);
    await().atMost(Duration.ofSeconds(30)).until(() -> ready(stack()));
    // Let the last events and status writes settle: the reconcile of this generation done, writes quiet.
    cluster.awaitConverged(NS, "pi");

    // Re-trigger: a restarted operator reconciles every stack it finds. Its reconcile of this stack
    // runs to the end (evidence first: it no longer reads any Secret, the Secret watch serves them).
    List<String> writes = cluster.writesOfARestart(NS, "pi");
    assertThat(writes).as("writes during a no-op reconcile").isEmpty();
    assertThat(ready(stack())).isTrue();
  }


  private PiStack stack() {
    return cluster.client.resources(PiStack.class).inNamespace(NS).withName("pi").get();
  }

  static boolean ready(PiStack s) {
    return s != null && s.getStatus() != null && Conditions.isTrue(s.getStatus().conditions, ConditionType.READY.wire());
  }
}
