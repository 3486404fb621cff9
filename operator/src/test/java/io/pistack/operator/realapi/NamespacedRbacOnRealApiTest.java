package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.chart.Chart;
import io.pistack.operator.runtime.RuntimeConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The recommended install, per-namespace RBAC (chart value watchNamespaces), on the real API
 * server's own RBAC authoriser: the chart is rendered for the test's namespace, its ServiceAccount,
 * Role and RoleBinding are created, and the operator runs as that ServiceAccount (a token from the
 * TokenRequest API) with the environment the chart gives its Deployment. A stack's whole life works;
 * Secrets in any other namespace stay out of reach.
 */
class NamespacedRbacOnRealApiTest {
  static final java.time.Duration T = RealApiStack.T;

  @Test
  void withOnlyTheChartsRoleInItsNamespaceTheOperatorRunsAStackAndReadsNoOtherSecret() {
    List<HasMetadata> installed = new ArrayList<>();
    KubernetesClient[] operatorClient = new KubernetesClient[1];
    RealApiStack.OperatorSetup asChartInstallsIt = asChartInstallsIt(installed, operatorClient);

    try (RealApiStack env = new RealApiStack("rbac", asChartInstallsIt, claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"))) {
      KubernetesClient admin = env.admin;
      try {
        admin.resource(env.smallStack()).create();
        await().atMost(T).until(() -> "AllComponentsReady".equals(env.readyReason()));
        assertThat(admin.secrets().inNamespace(env.ns).withName("pi-db-credentials").get()).isNotNull();

        // Out of reach: Secrets of any other namespace, and listing them cluster-wide.
        KubernetesClient operator = operatorClient[0];
        assertThat(operator.secrets().inNamespace(env.ns).list().getItems()).isNotEmpty();
        assertForbidden(() -> operator.secrets().inNamespace("default").list());
        assertForbidden(() -> operator.secrets().inNamespace(Chart.NAMESPACE).list());
        assertForbidden(() -> operator.secrets().inAnyNamespace().list());
        assertForbidden(() -> operator.resources(PiStack.class).inAnyNamespace().list());

        // The end of its life: deleting the stack collects the children through the same identity.
        admin.resources(PiStack.class).inNamespace(env.ns).withName("pi").delete();
        await().atMost(T).until(() -> admin.apps().deployments().inNamespace(env.ns).list().getItems().isEmpty()
            && admin.resources(PiStack.class).inNamespace(env.ns).withName("pi").get() == null);
      } finally {
        installed.forEach(o -> admin.resource(o).delete());
      }
    }
  }

  /**
   * The operator as the chart installs it for the test's namespace: the chart's ServiceAccount,
   * Role and RoleBinding (created, and added to {@code installed} for the test to delete), and a
   * client with that ServiceAccount's token (put in {@code operatorClient[0]}).
   */
  static RealApiStack.OperatorSetup asChartInstallsIt(List<HasMetadata> installed, KubernetesClient[] operatorClient) {
    return (admin, ns, interceptors) -> {
      Chart.Rendered chart = Chart.render(Map.of("watchNamespaces", List.of(ns)));
      assertThat(chart.all(ClusterRole.class)).as("nothing cluster-wide in namespaced mode").isEmpty();
      assertThat(chart.all(ClusterRoleBinding.class)).isEmpty();
      if (admin.namespaces().withName(Chart.NAMESPACE).get() == null) {
        admin.resource(new NamespaceBuilder().withNewMetadata().withName(Chart.NAMESPACE).endMetadata().build())
            .create();
      }
      ServiceAccount sa = chart.one(ServiceAccount.class);
      for (HasMetadata o : List.of(sa, chart.one(Role.class), chart.one(RoleBinding.class))) {
        installed.add(admin.resource(o).serverSideApply());
      }
      String token = admin.serviceAccounts().inNamespace(Chart.NAMESPACE).withName(sa.getMetadata().getName())
          .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
          .getStatus().getToken();
      Config adminConfig = admin.getConfiguration();
      Config asServiceAccount = new ConfigBuilder(Config.empty()).withMasterUrl(adminConfig.getMasterUrl())
          .withCaCertData(adminConfig.getCaCertData()).withOauthToken(token).build();
      operatorClient[0] = new KubernetesClientBuilder().withConfig(asServiceAccount)
          .withHttpClientBuilderConsumer(interceptors).build();
      Map<String, String> env = chart.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0)
          .getEnv().stream().filter(e -> e.getValue() != null)
          .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
      RuntimeConfig config = RuntimeConfig.fromEnv(env);
      assertThat(config.watchNamespaces()).containsExactly(ns);
      return Map.entry(operatorClient[0], config);
    };
  }

  private static void assertForbidden(Runnable call) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(KubernetesClientException.class,
        e -> assertThat(e.getCode()).isEqualTo(403));
  }
}
