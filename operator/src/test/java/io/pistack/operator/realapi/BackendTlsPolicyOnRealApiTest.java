package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.BackendTLSPolicy;
import io.pistack.operator.api.v1alpha1.HttpRouteSpec;
import io.pistack.operator.api.v1alpha1.HttpsSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's BackendTLSPolicy on the real API server with the Gateway API v1.6.3 standard-channel CRDs: an
 * HTTPS dashboard behind a route gets a policy the API server admits (its CEL rules included), targeting the
 * dashboard Service's HTTPS port with the CA the user names; a converged stack's no-op reconcile writes nothing;
 * without a CA it trusts the system CAs; turning the dashboard's HTTPS off deletes it.
 */
class BackendTlsPolicyOnRealApiTest {
  static final Duration T = RealApiStack.T;
  RealApiStack env;

  @BeforeEach
  void start() {
    env = new RealApiStack("btls", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  BackendTLSPolicy livePolicy() {
    return env.admin.resources(BackendTLSPolicy.class).inNamespace(env.ns).withName("pi").get();
  }

  @Test
  void anHttpsDashboardBehindARouteGetsItsPolicyAndANoOpWritesNothing() {
    env.admin.resource(new SecretBuilder().withNewMetadata().withName("pi-dashboard-tls").withNamespace(env.ns)
        .endMetadata().withType("kubernetes.io/tls")
        .addToStringData(Map.of("tls.crt", "not-a-cert", "tls.key", "not-a-key")).build()).create();
    PiStack s = env.smallStack();
    s.getSpec().dashboard.https = new HttpsSpec();
    s.getSpec().dashboard.https.enabled = true;
    s.getSpec().dashboard.https.secretName = "pi-dashboard-tls";
    s.getSpec().httpRoute = GatewayRouteOnRealApiTest.route("public", "gateways");
    s.getSpec().httpRoute.backendTls = new HttpRouteSpec.BackendTls();
    s.getSpec().httpRoute.backendTls.caCertificateConfigMap = "pi-dashboard-ca";
    env.admin.resource(s).create();

    await().atMost(T).untilAsserted(() -> assertThat(livePolicy()).isNotNull());
    BackendTLSPolicy p = livePolicy();
    assertThat(p.getSpec().getTargetRefs()).singleElement().satisfies(t -> {
      assertThat(t.getKind()).isEqualTo("Service");
      assertThat(t.getName()).isEqualTo("pi-dashboard");
      assertThat(t.getSectionName()).isEqualTo("http");
    });
    assertThat(p.getSpec().getValidation().getHostname()).isEqualTo("pi-dashboard");
    assertThat(p.getSpec().getValidation().getCaCertificateRefs()).singleElement()
        .satisfies(r -> assertThat(r.getName()).isEqualTo("pi-dashboard-ca"));
    assertThat(p.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("pi"));

    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));
    env.awaitConverged();
    List<String> writes = env.writesAfter(() -> env.admin.resources(BackendTLSPolicy.class).inNamespace(env.ns)
        .withName("pi").edit(x -> {
          x.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of("example.com/touched", "yes")));
          return x;
        }), RealApiStack::statusOrEvent);
    assertThat(writes).as("operator writes after an unrelated edit of its policy")
        .allMatch(RealApiStack::statusOrEvent);

    // No CA named: the Gateway's system CAs (the API server's CEL rule: refs or wellKnownCACertificates).
    Stacks.edit(env.admin, env.ns, "pi", x -> x.getSpec().httpRoute.backendTls = null);
    await().atMost(T).untilAsserted(() -> {
      var v = livePolicy().getSpec().getValidation();
      assertThat(v.getWellKnownCACertificates()).isEqualTo("System");
      assertThat(v.getCaCertificateRefs()).isNullOrEmpty();
    });

    // The dashboard's HTTPS off: no policy (the route stays).
    Stacks.edit(env.admin, env.ns, "pi", x -> x.getSpec().dashboard.https = null);
    await().atMost(T).untilAsserted(() -> assertThat(livePolicy()).isNull());
    assertThat(env.admin.resources(io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class)
        .inNamespace(env.ns).withName("pi").get()).isNotNull();
  }
}
