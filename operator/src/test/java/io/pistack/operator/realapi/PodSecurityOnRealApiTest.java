package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pod Security admission (on by default in the API server since 1.25) judges the generated pods: in a
 * namespace enforcing "baseline" a default stack reaches Ready; in one enforcing "restricted" the Pi pods
 * are refused until the documented settings are given (the refusal is reported, not a silent wait), the
 * database pod never is. The stack's NetworkPolicies and the dashboard's internal Service are accepted and
 * converge: an unrelated edit causes no write. (This tier has no network plugin: nothing enforces the
 * policies here.)
 */
class PodSecurityOnRealApiTest {
  static final Duration T = RealApiStack.T;
  RealApiStack env;

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  private void enforce(String level) {
    env.admin.namespaces().withName(env.ns).edit(n -> {
      n.getMetadata().getLabels().put("pod-security.kubernetes.io/enforce", level);
      return n;
    });
  }

  @Test
  void aDefaultStackIsReadyUnderBaselineWithItsPoliciesAndConverges() {
    env = new RealApiStack("psa-baseline", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
    enforce("baseline");
    env.admin.resource(env.smallStack()).create();
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));

    assertThat(env.admin.network().networkPolicies().inNamespace(env.ns).list().getItems())
        .extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("pi-dashboard", "pi-scheduler",
            "pi-analytics", "pi-renderer", "pi-excel-reader", "pi-db");
    NetworkPolicy db = env.admin.network().networkPolicies().inNamespace(env.ns).withName("pi-db").get();
    assertThat(db.getSpec().getIngress()).singleElement().satisfies(r -> assertThat(r.getFrom()).hasSize(4));
    assertThat(env.admin.services().inNamespace(env.ns).withName("pi-dashboard").get().getSpec().getPorts())
        .extracting(p -> p.getPort()).containsExactly(8224);
    assertThat(env.admin.services().inNamespace(env.ns).withName("pi-dashboard-private").get().getSpec().getPorts())
        .extracting(p -> p.getPort()).containsExactly(28748);

    // Converged: an unrelated edit of a policy causes no write to any child.
    env.awaitConverged();
    List<String> writes = env.writesAfter(() ->
        env.admin.network().networkPolicies().inNamespace(env.ns).withName("pi-db").edit(p -> {
          var a = new java.util.HashMap<String, String>();
          if (p.getMetadata().getAnnotations() != null) {
            a.putAll(p.getMetadata().getAnnotations());
          }
          a.put("example.com/touched", "yes");
          p.getMetadata().setAnnotations(a);
          return p;
        }), RealApiStack::statusOrEvent);
    assertThat(env.admin.network().networkPolicies().inNamespace(env.ns).withName("pi-db").get()
        .getMetadata().getAnnotations()).containsKey("example.com/touched");
    assertThat(writes).as("operator writes to its children after an unrelated edit")
        .allMatch(RealApiStack::statusOrEvent);

    // The escape hatch: no policies.
    Stacks.edit(env.admin, env.ns, "pi", p -> {
      p.getSpec().networkPolicy = new io.pistack.operator.api.v1alpha1.NetworkPolicySpec();
      p.getSpec().networkPolicy.enabled = false;
    });
    await().atMost(T).untilAsserted(() ->
        assertThat(env.admin.network().networkPolicies().inNamespace(env.ns).list().getItems()).isEmpty());
  }

  @Test
  void underRestrictedThePiPodsNeedTheDocumentedSettingsAndTheRefusalIsReported() {
    env = new RealApiStack("psa-restricted", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
    enforce("restricted");
    env.admin.resource(env.smallStack()).create();
    await().atMost(T).untilAsserted(() -> {
      assertThat(env.readyReason()).isEqualTo("ReplicaFailure");
      PiStack s = env.stack(); // read after the reason: a status seen before it may still be empty
      assertThat(s.getStatus()).isNotNull();
      var ready = s.getStatus().conditions.stream().filter(c -> ConditionType.READY.wire().equals(c.getType())).findFirst()
          .orElseThrow();
      assertThat(ready.getMessage()).contains("cannot create pods").contains("violates PodSecurity \"restricted");
      assertThat(Conditions.isTrue(s.getStatus().conditions, ConditionType.DEGRADED.wire())).isTrue();
    });
    // The database pod meets restricted by default: the StatefulSet controller created it.
    await().atMost(T).until(() -> env.admin.pods().inNamespace(env.ns).withName("pi-db-0").get() != null);

    // docs/pods.md: a non-root user for each Pi component makes the stack restricted.
    Stacks.edit(env.admin, env.ns, "pi", p -> {
      for (ComponentSpec c : List.of(p.getSpec().dashboard, p.getSpec().scheduler, p.getSpec().analytics,
          p.getSpec().renderer, p.getSpec().excelReader)) {
        c.podSecurityContext = new PodSecurityContextBuilder().withRunAsNonRoot(true).withRunAsUser(1000L)
            .withRunAsGroup(1000L).withFsGroup(1000L).build();
      }
    });
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));
  }
}
