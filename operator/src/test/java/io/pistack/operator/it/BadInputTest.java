package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import io.pistack.operator.status.ConditionType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input the schema cannot catch (the mock evaluates no CEL, like an API server whose CRD predates a
 * rule) ends as Ready=False with a reason and a Warning event — never a crash loop.
 */
class BadInputTest {
  static final String NS = "bad";
  MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster().startOperator();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void invalidSpecIsReportedAndNothingIsApplied() {
    PiStack stack = Stacks.sample("minimal.yaml", NS);
    stack.getSpec().storage = new StorageSpec();
    stack.getSpec().storage.size = "1Gi";
    cluster.client.resource(stack).create();

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Condition ready = ready();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("InvalidSpec");
      assertThat(ready.getMessage()).contains("spec.storage.size").contains("at least 5Gi");
      assertThat(warnings()).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("InvalidSpec");
        assertThat(e.getMessage()).contains("spec.storage.size");
      });
    });
    assertThat(cluster.client.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(cluster.client.persistentVolumeClaims().inNamespace(NS).list().getItems()).isEmpty();

    // Fixing the spec lets the stack proceed.
    Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().storage.size = "5Gi");
    await().atMost(Duration.ofSeconds(30)).until(() ->
        cluster.client.apps().deployments().inNamespace(NS).list().getItems().size() == 5);
    await().atMost(Duration.ofSeconds(30)).until(() -> !"InvalidSpec".equals(ready().getReason()));
  }

  /** memory: 4096MB (an older CRD admits it): refused at the field, the running stack left exactly as it was. */
  @Test
  void anInvalidChangeLeavesTheRunningStackUntouched() {
    Stacks.licenceSecret(cluster.client, NS);
    cluster.client.resource(Stacks.sample("minimal.yaml", NS)).create();
    await().atMost(Duration.ofSeconds(30)).until(() ->
        cluster.client.apps().deployments().inNamespace(NS).list().getItems().size() == 5);
    // ignoreExceptions: the status may not be written yet when the Deployments are.
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).until(() -> ready().getReason() != null
        && !"InvalidSpec".equals(ready().getReason()));
    cluster.awaitConverged(NS, "pi");
    java.util.Map<String, String> before = versions();

    Stacks.edit(cluster.client, NS, "pi", s -> {
      s.getSpec().dashboard = new io.pistack.operator.api.v1alpha1.DashboardSpec();
      s.getSpec().dashboard.replicas = 1; // a change the Deployment would take...
      s.getSpec().dashboard.resources = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder()
          .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("4096MB")).build(); // ...but for this
    });
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Condition ready = ready();
      assertThat(ready.getReason()).isEqualTo("InvalidSpec");
      assertThat(ready.getMessage()).contains("spec.dashboard.resources.limits.memory").contains("4096MB")
          .doesNotContain("Exception").doesNotContain("java.");
    });
    assertThat(versions()).as("no child written for the refused generation").isEqualTo(before);
    assertThat(cluster.client.apps().deployments().inNamespace(NS).withName("pi-dashboard").get().getSpec()
        .getReplicas()).isEqualTo(3);
  }

  /** The children's specs (their status may change under the fake controllers). */
  private java.util.Map<String, String> versions() {
    java.util.Map<String, String> v = new java.util.TreeMap<>();
    cluster.client.apps().deployments().inNamespace(NS).list().getItems()
        .forEach(d -> v.put("Deployment/" + d.getMetadata().getName(), io.fabric8.kubernetes.client.utils.Serialization.asJson(d.getSpec())));
    cluster.client.services().inNamespace(NS).list().getItems()
        .forEach(d -> v.put("Service/" + d.getMetadata().getName(), io.fabric8.kubernetes.client.utils.Serialization.asJson(d.getSpec())));
    cluster.client.apps().statefulSets().inNamespace(NS).list().getItems()
        .forEach(d -> v.put("StatefulSet/" + d.getMetadata().getName(), io.fabric8.kubernetes.client.utils.Serialization.asJson(d.getSpec())));
    return v;
  }

  @Test
  void aMissingLicenceSecretIsNamedButNeverRead() {
    cluster.client.resource(Stacks.sample("minimal.yaml", NS)).create();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      Condition ready = ready();
      assertThat(ready.getReason()).isEqualTo("SecretNotFound");
      assertThat(ready.getMessage()).isEqualTo("Secret pi-licence not found");
      assertThat(warnings()).anySatisfy(e -> assertThat(e.getReason()).isEqualTo("SecretNotFound"));
    });
    // The children are applied anyway: the pods wait for the Secret, the stack shows why.
    assertThat(cluster.client.apps().deployments().inNamespace(NS).list().getItems()).hasSize(5);

    double before = cluster.completedReconciles();
    Stacks.licenceSecret(cluster.client, NS);
    // The Secret watch (SecretWatch) maps the new Secret to the stack that names it: a reconcile
    // follows at once. The periodic re-check comes only every 5 minutes (it was every 30 s), so
    // nothing else could end SecretNotFound within this time.
    await().atMost(Duration.ofSeconds(10)).until(() -> !"SecretNotFound".equals(ready().getReason()));
    // The status is written inside the reconcile and the reconcile is counted once it has returned: on a
    // loaded machine the new status can be read before the count moves (stop 37's CI: 2.0 vs 2.0).
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.completedReconciles() > before);
  }

  private Condition ready() {
    PiStack s = cluster.client.resources(PiStack.class).inNamespace(NS).withName("pi").get();
    assertThat(s.getStatus()).isNotNull();
    return s.getStatus().conditions.stream().filter(c -> c.getType().equals(ConditionType.READY.wire())).findFirst()
        .orElseThrow(() -> new AssertionError("no Ready condition"));
  }

  private List<Event> warnings() {
    return cluster.client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType())).toList();
  }
}
