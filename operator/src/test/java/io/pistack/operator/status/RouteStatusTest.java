package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder;
import io.pistack.operator.api.v1alpha1.HttpRouteSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.health.StackHealth;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.HttpRouteBuilder;
import io.pistack.operator.model.ResolvedStack;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** RouteAccepted: what the Gateway controller wrote in the HTTPRoute's status, for the Gateway the stack names. */
class RouteStatusTest {
  PiStack stack = withRoute(Stacks.sample("minimal.yaml", "bi"));
  Map<Component, Deployment> deployments;
  Optional<StatefulSet> db;

  RouteStatusTest() {
    StatusAggregatorTest all = new StatusAggregatorTest(); // every component available, the database ready
    deployments = all.deployments;
    db = all.db;
  }

  static PiStack withRoute(PiStack s) {
    s.getMetadata().setGeneration(1L);
    s.getSpec().httpRoute = new HttpRouteSpec();
    s.getSpec().httpRoute.enabled = true;
    s.getSpec().httpRoute.host = "pi.example.com";
    s.getSpec().httpRoute.gateway = new HttpRouteSpec.GatewayRef();
    s.getSpec().httpRoute.gateway.name = "public";
    s.getSpec().httpRoute.gateway.namespace = "gateways";
    return s;
  }

  PiStackStatus aggregate(Optional<HTTPRoute> route) {
    ResolvedStack r = new ResolvedStack(stack);
    PiStackStatus next = new StatusAggregator(Clock.fixed(Instant.parse("2026-01-01T10:00:00Z"), ZoneOffset.UTC))
        .aggregate(r, new Observation(deployments, db, List.of(), StackHealth.DISABLED, List.of(), List.of(),
            List.of(), Optional.empty()).withRoute(route), StatusAggregatorTest.noJobs(stack), io.pistack.operator.model.SpecWarnings.of(r));
    stack.setStatus(next);
    return next;
  }

  HTTPRoute route(String gateway, String namespace, Condition... conditions) {
    HTTPRoute route = HttpRouteBuilder.build(new ResolvedStack(stack));
    route.getMetadata().setGeneration(2L);
    route.setStatus(new HTTPRouteStatusBuilder().addNewParent().withControllerName("example.com/gateway")
        .withNewParentRef().withName(gateway).withNamespace(namespace).endParentRef()
        .withConditions(conditions).endParent().build());
    return route;
  }

  static Condition cond(String type, String status, String reason, long generation) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage("said so")
        .withObservedGeneration(generation).withLastTransitionTime("2026-01-01T10:00:00Z").build();
  }

  String state(String type) {
    Condition c = Conditions.find(stack.getStatus().conditions, type);
    return c == null ? "none" : c.getStatus() + "/" + c.getReason();
  }

  @Test
  void anAcceptedRouteIsReportedAndTheStackIsReady() {
    aggregate(Optional.of(route("public", "gateways", cond("Accepted", "True", "Accepted", 2),
        cond("ResolvedRefs", "True", "ResolvedRefs", 2))));
    assertThat(state("RouteAccepted")).isEqualTo("True/Accepted");
    assertThat(state("Ready")).isEqualTo("True/AllComponentsReady");
    assertThat(Conditions.find(stack.getStatus().conditions, "RouteAccepted").getMessage())
        .contains("Gateway gateways/public").contains("example.com/gateway");
    assertThat(stack.getStatus().url).isEqualTo("https://pi.example.com/pi");
  }

  @Test
  void noAnswerForOurGatewayIsPendingWithWhatToCheckAndDoesNotHoldReady() {
    aggregate(Optional.of(route("other", "gateways", cond("Accepted", "True", "Accepted", 2))));
    assertThat(state("RouteAccepted")).isEqualTo("Unknown/RoutePending");
    assertThat(Conditions.find(stack.getStatus().conditions, "RouteAccepted").getMessage())
        .contains("Gateway gateways/public").contains("exists");
    assertThat(state("Ready")).isEqualTo("True/AllComponentsReady");
    aggregate(Optional.empty());
    assertThat(state("RouteAccepted")).isEqualTo("Unknown/RoutePending");
  }

  @Test
  void anAnswerAboutAnOlderGenerationIsPending() {
    aggregate(Optional.of(route("public", "gateways", cond("Accepted", "True", "Accepted", 1))));
    assertThat(state("RouteAccepted")).isEqualTo("Unknown/RoutePending");
  }

  @Test
  void aRefusedRouteIsAFaultWithTheControllersWords() {
    aggregate(Optional.of(route("public", "gateways", cond("Accepted", "False", "NotAllowedByListeners", 2))));
    assertThat(state("RouteAccepted")).isEqualTo("False/RouteNotAccepted");
    assertThat(state("Ready")).isEqualTo("False/RouteNotAccepted");
    assertThat(state("Degraded")).isEqualTo("True/RouteNotAccepted");
    assertThat(Conditions.find(stack.getStatus().conditions, "Ready").getMessage())
        .contains("NotAllowedByListeners: said so");
  }

  @Test
  void anUnresolvedBackendIsAFault() {
    aggregate(Optional.of(route("public", "gateways", cond("Accepted", "True", "Accepted", 2),
        cond("ResolvedRefs", "False", "BackendNotFound", 2))));
    assertThat(state("RouteAccepted")).isEqualTo("False/RouteRefsUnresolved");
    assertThat(state("Degraded")).isEqualTo("True/RouteRefsUnresolved");
  }

  @Test
  void withoutARouteThereIsNoRouteCondition() {
    stack.getSpec().httpRoute = null;
    aggregate(Optional.empty());
    assertThat(state("RouteAccepted")).isEqualTo("none");
  }
}
