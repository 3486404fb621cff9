package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.IngressSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.OperatorIdentity;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import io.pistack.operator.runtime.RuntimeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's guards on the real API server (docs/security.md): a PiStack asking for what the default policy
 * refuses (a hostPath volume, a projected service-account token, a privileged sidecar, an Ingress snippet) and a
 * PiStack in the operator's own namespace are reported (Ready=False, reason RefusedByPolicy, each field path and
 * the chart value that would allow it, a Warning event) and nothing of them is applied: no workload, Service,
 * Secret, policy or Ingress. Once the refused fields are gone, the stack converges as any other.
 */
class RefusedByPolicyOnRealApiTest {
  static final Duration T = RealApiStack.T;
  RealApiStack env;

  @AfterEach
  void stop() {
    if (env != null) {
      env.close();
    }
  }

  private static RealApiStack.OperatorSetup operatorIn(java.util.function.Function<String, String> namespaceOf) {
    return (admin, ns, interceptors) -> Map.entry(
        RealApiServer.get().client(new KubernetesClientBuilder().withHttpClientBuilderConsumer(interceptors)),
        RuntimeConfig.defaults().withWatchNamespaces(Set.of(ns))
            .withOperator(OperatorIdentity.in(namespaceOf.apply(ns), Map.of(Labels.NAME, "pi-operator"))));
  }

  @Test
  void whatThePolicyRefusesIsReportedByPathAndNothingIsApplied() {
    env = new RealApiStack("refused", operatorIn(ns -> "pi-system"), claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
    PiStack s = env.smallStack();
    s.getSpec().dashboard.extraVolumes = List.of(
        json(Map.of("name", "root", "hostPath", Map.of("path", "/"))),
        json(Map.of("name", "token", "projected", Map.of("sources",
            List.of(Map.of("serviceAccountToken", Map.of("path", "token", "audience", "vault")))))));
    s.getSpec().renderer.sidecars = List.of(json(Map.of("name", "tool", "image", "busybox",
        "securityContext", Map.of("privileged", true))));
    s.getSpec().ingress = new IngressSpec();
    s.getSpec().ingress.enabled = true;
    s.getSpec().ingress.host = "pi.example.com";
    s.getSpec().ingress.annotations = Map.of("nginx.ingress.kubernetes.io/server-snippet", "location /x { }");
    env.admin.resource(s).create();

    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("RefusedByPolicy"));
    Condition ready = ready();
    assertThat(ready.getMessage())
        .contains("spec.dashboard.extraVolumes[0].hostPath").contains("stackPolicy.allowHostPath")
        .contains("spec.dashboard.extraVolumes[1].projected.sources[0].serviceAccountToken")
        .contains("stackPolicy.allowServiceAccountTokens")
        .contains("spec.renderer.sidecars[0].securityContext.privileged").contains("stackPolicy.allowPrivileged")
        .contains("spec.ingress.annotations[nginx.ingress.kubernetes.io/server-snippet]")
        .contains("stackPolicy.allowIngressSnippets");
    assertThat(Conditions.isTrue(env.stack().getStatus().conditions, ConditionType.STALLED.wire())).isTrue();
    await().atMost(T).untilAsserted(() -> assertThat(env.admin.v1().events().inNamespace(env.ns).list().getItems())
        .anySatisfy(e -> {
          assertThat(e.getReason()).isEqualTo("RefusedByPolicy");
          assertThat(e.getType()).isEqualTo("Warning");
        }));
    // The reconcile that decided it ran to completion: only now does "nothing applied" mean something.
    await().atMost(T).until(() -> env.reconciles().completedAtGeneration(env.ns, "pi", 1));
    assertNothingApplied();

    // Without the refused fields it converges like any stack.
    Stacks.edit(env.admin, env.ns, "pi", p -> {
      p.getSpec().dashboard.extraVolumes = null;
      p.getSpec().renderer.sidecars = null;
      p.getSpec().ingress.annotations = Map.of("nginx.ingress.kubernetes.io/proxy-read-timeout", "90");
    });
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));
  }

  @Test
  void aStackInTheOperatorsNamespaceIsRefused() {
    env = new RealApiStack("opns", operatorIn(ns -> ns), claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
    env.admin.resource(env.smallStack()).create();
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("RefusedByPolicy"));
    assertThat(ready().getMessage()).startsWith("metadata.namespace: a PiStack in the operator's own namespace")
        .contains("stackPolicy.allowStacksInOperatorNamespace");
    await().atMost(T).until(() -> env.reconciles().completedAtGeneration(env.ns, "pi", 1));
    assertNothingApplied();
  }

  private Condition ready() {
    return env.stack().getStatus().conditions.stream().filter(c -> ConditionType.READY.wire().equals(c.getType()))
        .findFirst().orElseThrow();
  }

  private void assertNothingApplied() {
    String selector = Labels.INSTANCE;
    assertThat(env.admin.apps().deployments().inNamespace(env.ns).withLabel(selector, "pi").list().getItems()).isEmpty();
    assertThat(env.admin.apps().statefulSets().inNamespace(env.ns).withLabel(selector, "pi").list().getItems()).isEmpty();
    assertThat(env.admin.services().inNamespace(env.ns).withLabel(selector, "pi").list().getItems()).isEmpty();
    assertThat(env.admin.secrets().inNamespace(env.ns).withLabel(selector, "pi").list().getItems()).isEmpty();
    assertThat(env.admin.network().networkPolicies().inNamespace(env.ns).list().getItems()).isEmpty();
    assertThat(env.admin.network().v1().ingresses().inNamespace(env.ns).list().getItems()).isEmpty();
    assertThat(env.admin.persistentVolumeClaims().inNamespace(env.ns).withLabel(selector, "pi").list().getItems())
        .isEmpty();
  }

  private static com.fasterxml.jackson.databind.JsonNode json(Object o) {
    return Serialization.jsonMapper().valueToTree(o);
  }
}
