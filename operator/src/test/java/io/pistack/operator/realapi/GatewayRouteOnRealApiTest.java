package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.pistack.operator.api.v1alpha1.HttpRouteSpec;
import io.pistack.operator.api.v1alpha1.IngressSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's HTTPRoute on the real API server with the Gateway API CRDs (standard channel, v1.6.3) installed
 * and no Gateway controller: the test writes the route's status as a controller would. The API server admits the
 * route the operator builds; its status is read back as RouteAccepted (pending while nobody answered for the
 * Gateway, a fault when it refuses); a converged stack's no-op reconcile writes nothing; moving a stack from its
 * Ingress to a route removes the Ingress and keeps the dashboard's pods when the public address stays the same.
 */
class GatewayRouteOnRealApiTest {
  static final Duration T = RealApiStack.T;
  RealApiStack env;

  @BeforeEach
  void start() {
    env = new RealApiStack("route", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  static HttpRouteSpec route(String gateway, String namespace) {
    HttpRouteSpec r = new HttpRouteSpec();
    r.enabled = true;
    r.host = "pi.example.com";
    r.gateway = new HttpRouteSpec.GatewayRef();
    r.gateway.name = gateway;
    r.gateway.namespace = namespace;
    return r;
  }

  HTTPRoute liveRoute() {
    return env.admin.resources(HTTPRoute.class).inNamespace(env.ns).withName("pi").get();
  }

  String routeCondition() {
    PiStack s = env.stack();
    return s == null || s.getStatus() == null ? "none" : s.getStatus().conditions.stream()
        .filter(c -> "RouteAccepted".equals(c.getType())).map(c -> c.getStatus() + "/" + c.getReason())
        .findFirst().orElse("none");
  }

  String routeMessage() {
    return env.stack().getStatus().conditions.stream().filter(c -> "RouteAccepted".equals(c.getType()))
        .map(Condition::getMessage).findFirst().orElse("");
  }

  /** What a Gateway controller writes for the route's parent: Accepted, then ResolvedRefs. */
  void controllerSays(String gateway, String namespace, String accepted, String reason) {
    HTTPRoute r = liveRoute();
    long generation = r.getMetadata().getGeneration();
    String now = Instant.now().toString().replaceAll("\\.\\d+Z$", "Z");
    r.setStatus(new HTTPRouteStatusBuilder().addNewParent().withControllerName("example.com/gateway-controller")
        .withNewParentRef().withGroup("gateway.networking.k8s.io").withKind("Gateway").withName(gateway)
        .withNamespace(namespace).endParentRef()
        .withConditions(new ConditionBuilder().withType("Accepted").withStatus(accepted).withReason(reason)
            .withMessage("the controller's words").withObservedGeneration(generation).withLastTransitionTime(now)
            .build(),
            new ConditionBuilder().withType("ResolvedRefs").withStatus("True").withReason("ResolvedRefs")
            .withMessage("").withObservedGeneration(generation).withLastTransitionTime(now).build())
        .endParent().build());
    env.admin.resource(r).updateStatus();
  }

  @Test
  void aRouteIsAdmittedReportedAsItsGatewaySaysAndANoOpWritesNothing() {
    PiStack s = env.smallStack();
    s.getSpec().httpRoute = route("public", "gateways");
    env.admin.resource(s).create();

    await().atMost(T).untilAsserted(() -> assertThat(liveRoute()).isNotNull());
    HTTPRoute r = liveRoute();
    assertThat(r.getSpec().getHostnames()).containsExactly("pi.example.com");
    assertThat(r.getSpec().getParentRefs()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("public");
      assertThat(p.getNamespace()).isEqualTo("gateways");
    });
    assertThat(r.getSpec().getRules()).singleElement().satisfies(rule -> {
      assertThat(rule.getMatches()).singleElement().satisfies(m -> assertThat(m.getPath().getValue()).isEqualTo("/pi"));
      assertThat(rule.getBackendRefs()).singleElement().satisfies(b -> {
        assertThat(b.getName()).isEqualTo("pi-dashboard");
        assertThat(b.getPort()).isEqualTo(8224);
      });
    });
    assertThat(r.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getName()).isEqualTo("pi"));
    Map<String, String> env0 = env.deployment("pi-dashboard").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertThat(env0).containsEntry("PI_PROXY_HOST", "pi.example.com").containsEntry("PI_PROXY_SCHEME", "https")
        .containsEntry("PI_PROXY_PORT", "443").containsEntry("PI_TOMCAT_COOKIE_SECURE", "true");

    // No controller answers for gateways/public (it does not exist here): pending, with what to check; not Ready's.
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));
    assertThat(routeCondition()).isEqualTo("Unknown/RoutePending");
    assertThat(routeMessage()).contains("Gateway gateways/public").contains("exists");
    assertThat(env.stack().getStatus().url).isEqualTo("https://pi.example.com/pi");

    // The Gateway's controller refuses the route: a fault, with its words.
    controllerSays("public", "gateways", "False", "NotAllowedByListeners");
    await().atMost(T).untilAsserted(() -> assertThat(routeCondition()).isEqualTo("False/RouteNotAccepted"));
    assertThat(env.readyReason()).isEqualTo("RouteNotAccepted");
    assertThat(routeMessage()).contains("NotAllowedByListeners: the controller's words");

    // Accepted: Ready again; converged, an unrelated edit of the route costs no write to any child.
    controllerSays("public", "gateways", "True", "Accepted");
    await().atMost(T).untilAsserted(() -> assertThat(routeCondition()).isEqualTo("True/Accepted"));
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));
    env.awaitConverged();
    List<String> writes = env.writesAfter(() -> env.admin.resources(HTTPRoute.class).inNamespace(env.ns)
        .withName("pi").edit(x -> {
          x.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of("example.com/touched", "yes")));
          return x;
        }), RealApiStack::statusOrEvent);
    assertThat(writes).as("operator writes after an unrelated edit of its route")
        .allMatch(RealApiStack::statusOrEvent);
  }

  @Test
  void movingFromTheIngressToARouteRemovesTheIngressAndKeepsTheDashboardPods() {
    PiStack s = env.smallStack();
    s.getSpec().ingress = new IngressSpec();
    s.getSpec().ingress.enabled = true;
    s.getSpec().ingress.host = "pi.example.com";
    s.getSpec().ingress.tlsSecretName = "pi-tls";
    env.admin.resource(s).create();
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));
    env.awaitConverged();
    assertThat(env.admin.resources(Ingress.class).inNamespace(env.ns).withName("pi").get()).isNotNull();
    var before = env.deployment("pi-dashboard");
    List<String> podsBefore = dashboardPods();
    assertThat(podsBefore).isNotEmpty();

    Stacks.edit(env.admin, env.ns, "pi", p -> {
      p.getSpec().ingress = null;
      p.getSpec().httpRoute = route("public", env.ns);
    });
    await().atMost(T).untilAsserted(() -> {
      assertThat(liveRoute()).isNotNull();
      assertThat(env.admin.resources(Ingress.class).inNamespace(env.ns).withName("pi").get()).isNull();
    });
    env.awaitConverged();
    var after = env.deployment("pi-dashboard");
    assertThat(after.getSpec().getTemplate()).as("the dashboard's pod template").isEqualTo(before.getSpec().getTemplate());
    assertThat(after.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());
    assertThat(dashboardPods()).as("the dashboard's pods").containsExactlyInAnyOrderElementsOf(podsBefore);
  }

  List<String> dashboardPods() {
    return env.admin.pods().inNamespace(env.ns).withLabel("app.kubernetes.io/component", "dashboard").list()
        .getItems().stream().map(p -> p.getMetadata().getUid()).sorted().toList();
  }
}
