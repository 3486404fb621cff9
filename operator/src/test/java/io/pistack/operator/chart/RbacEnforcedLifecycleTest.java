package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Kubelet;
import io.pistack.operator.it.MockCluster;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import io.pistack.operator.runtime.RuntimeConfig;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The other half of the RBAC check, at run time: the operator, configured by the chart's
 * Deployment environment, runs a PiStack's whole life (create every kind of child, become Ready,
 * delete the children a spec change removes) against a mock API server that authorises each of
 * its requests with the rendered chart's RBAC. Nothing may be refused.
 */
class RbacEnforcedLifecycleTest {

  static Stream<Arguments> modes() {
    return Stream.of(
        Arguments.of("cluster, one replica", ValueSets.DEFAULTS, "team-x"),
        Arguments.of("namespaced, leader election", ValueSets.HA_NAMESPACED, "team-a"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modes")
  void theOperatorDoesItsWholeJobWithOnlyTheChartsPermissions(String name, Map<String, Object> values, String ns) {
    Chart.Rendered rendered = Chart.render(values);
    RbacEnforcingDispatcher authoriser = new RbacEnforcingDispatcher(RbacCompletenessTest.granted(rendered));
    Container c = rendered.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    RuntimeConfig config = RuntimeConfig.fromEnv(HelmChartTest.env(c));

    try (MockCluster cluster = new MockCluster(authoriser)) {
      // Probes off: the mock has no cluster DNS (they use no API permission either way).
      cluster.startOperator(config.withHealth(io.pistack.operator.health.HealthConfig.disabled()));
      Stacks.licenceSecret(cluster.client, ns);
      cluster.client.resource(Stacks.sample("production.yaml", ns)).create();
      awaitAllowed(authoriser).until(() ->
          cluster.client.apps().deployments().inNamespace(ns).list().getItems().size() == 5
              && cluster.client.apps().statefulSets().inNamespace(ns).withName("pi-db").get() != null);
      Kubelet.markAvailable(cluster.client, ns); // the database too: see Kubelet.markAvailableOnceCreated
      awaitAllowed(authoriser).until(() -> ready(cluster, ns));

      // Spec changes that make the operator delete children: ingress off, renderer autoscaling off,
      // excel-reader disabled.
      Stacks.edit(cluster.client, ns, "pi", s -> {
        s.getSpec().ingress.enabled = false;
        s.getSpec().renderer.autoscaling.enabled = false;
        s.getSpec().excelReader = new ComponentSpec();
        s.getSpec().excelReader.enabled = false;
      });
      awaitAllowed(authoriser).until(() ->
          cluster.client.network().v1().ingresses().inNamespace(ns).list().getItems().isEmpty()
              && cluster.client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).list().getItems()
                  .size() == 1
              && cluster.client.apps().deployments().inNamespace(ns).list().getItems().size() == 4);

      assertThat(authoriser.denied()).as("requests the chart's RBAC refused").isEmpty();
      assertThat(authoriser.used()).as("the run exercised creates, applies, deletes, status and events")
          .anyMatch(k -> k.endsWith("apps deployments create"))
          .anyMatch(k -> k.endsWith("apps deployments patch"))
          .anyMatch(k -> k.endsWith("networking.k8s.io ingresses delete"))
          .anyMatch(k -> k.endsWith("autoscaling horizontalpodautoscalers delete"))
          .anyMatch(k -> k.endsWith("core secrets create"))
          // The Secrets the stack names are watched (metadata and digests), never fetched by name.
          .anyMatch(k -> k.endsWith("core secrets watch"))
          .anyMatch(k -> k.endsWith("core events create"))
          .anyMatch(k -> k.endsWith("pistack.io pistacks/status patch"));
      if (config.leaderElection()) {
        assertThat(authoriser.used()).contains(Chart.NAMESPACE + " coordination.k8s.io leases create");
      }
    }
  }

  /** Waits, but stops at once with the refused requests when the authoriser refuses one. */
  static org.awaitility.core.ConditionFactory awaitAllowed(RbacEnforcingDispatcher authoriser) {
    return await().atMost(Duration.ofSeconds(30))
        .failFast(() -> assertThat(authoriser.denied()).as("requests the chart's RBAC refused").isEmpty());
  }

  static boolean ready(MockCluster cluster, String ns) {
    PiStack s = cluster.client.resources(PiStack.class).inNamespace(ns).withName("pi").get();
    return s != null && s.getStatus() != null && Conditions.isTrue(s.getStatus().conditions, ConditionType.READY.wire());
  }

}
