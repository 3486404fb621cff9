package io.pistack.operator.realapi;

import io.pistack.operator.api.v1alpha1.PiStack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.it.Stacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oldest Kubernetes minor the project supports (docs/install.md, the chart's kubeVersion), on a control plane of
 * its own built by realapi/build.sh from realapi/k8s-1.30/go.mod: the CRD is accepted (its CEL rules compile, within
 * the cost budget of that version's estimator) and Established, its quantity rules refuse, and the first stack of
 * docs/getting-started.md (samples/small.yaml) becomes Ready with the operator run as a process against it.
 */
class OldestKubernetesOnRealApiTest {
  static final String MODULE = "k8s-1.30";
  static RealApiServer api;
  static KubernetesClient admin;

  @BeforeAll
  static void start() {
    api = RealApiServer.startVersion(MODULE); // installs the CRD and waits for Established: it fails here if refused
    admin = api.client();
  }

  @AfterAll
  static void stop() {
    if (admin != null) {
      admin.close();
    }
    if (api != null) {
      api.close();
    }
  }

  @Test
  void theServerIsTheOldestSupportedMinorThatBuildShBuilt() throws Exception {
    Matcher built = Pattern.compile("k8s\\.io/kubernetes (v1\\.(\\d+)\\.\\d+)")
        .matcher(Files.readString(Stacks.repoRoot().resolve("realapi").resolve(MODULE).resolve("go.mod")));
    assertThat(built.find()).isTrue();
    assertThat(admin.getKubernetesVersion().getGitVersion()).isEqualTo(built.group(1));
    assertThat(Files.readString(Stacks.repoRoot().resolve("helm/pi-operator/Chart.yaml")))
        .as("the chart's minimum is this version").contains("kubeVersion: \">=1." + built.group(2) + ".0-0\"");
  }

  @Test
  void theCrdsQuantityAndCrossFieldRulesRefuseOnThisVersion() {
    assertRefused("storage: {size: 1Gi}", "the shared volume must be at least 5Gi");
    assertRefused("dashboard: {autoscaling: {enabled: true, minReplicas: 5, maxReplicas: 2}}",
        "autoscaling.minReplicas must not exceed autoscaling.maxReplicas");
  }

  @Test
  void theFirstStackBecomesReady(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, api.kubeconfig());
    try (FirstStack stack = new FirstStack(admin, "oldest")) {
      Map<String, String> env = new HashMap<>();
      try (OperatorProcess operator = OperatorProcess.startedAsAPod(() -> new OperatorProcess(dir, "operator",
          kubeconfig, stack.ns, "pi-operator-0", env))) {
        stack.apply();
        stack.assertReadyWithin(Duration.ofMinutes(4), operator::logText);
      }
    }
  }

  /**
   * This control plane has no Gateway API CRDs: a stack asking for an HTTPRoute is refused with a sentence (Ready=False
   * GatewayApiMissing, nothing applied) while the operator keeps running, and the same operator reconciles the
   * stack once the route is switched off.
   */
  @Test
  void withoutTheGatewayApiARouteIsRefusedWithASentence() {
    String ns = "no-gateway-api";
    admin.resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(ns).endMetadata()
        .build()).create();
    Stacks.licenceSecret(admin, ns);
    var operator = io.pistack.operator.runtime.OperatorRuntime.builder(api.client(),
        io.pistack.operator.runtime.RuntimeConfig.defaults().withWatchNamespaces(java.util.Set.of(ns))
            .withHealth(io.pistack.operator.health.HealthConfig.disabled()).withHttpPort(0)).build().start();
    try {
      PiStack s = RealApiStack.smallStack(ns, "pi");
      s.getSpec().httpRoute = GatewayRouteOnRealApiTest.route("public", "gateways");
      admin.resource(s).create();
      org.awaitility.Awaitility.await().atMost(RealApiStack.T).untilAsserted(() -> {
        PiStack live = admin.resources(PiStack.class).inNamespace(ns).withName("pi").get();
        assertThat(live.getStatus()).isNotNull();
        assertThat(live.getStatus().conditions).filteredOn(c -> c.getType().equals("Ready")).singleElement()
            .satisfies(c -> {
              assertThat(c.getReason()).isEqualTo("GatewayApiMissing");
              assertThat(c.getMessage()).contains("spec.httpRoute").contains("restart the operator");
            });
      });
      assertThat(admin.apps().deployments().inNamespace(ns).list().getItems()).as("nothing applied").isEmpty();

      Stacks.edit(admin, ns, "pi", p -> p.getSpec().httpRoute = null);
      org.awaitility.Awaitility.await().atMost(RealApiStack.T).untilAsserted(() -> assertThat(
          admin.apps().deployments().inNamespace(ns).list().getItems()).as("the stack goes on").isNotEmpty());
    } finally {
      operator.stop();
      admin.namespaces().withName(ns).delete();
    }
  }

  private static void assertRefused(String spec, String expected) {
    String yaml = "apiVersion: pistack.io/v1alpha1\nkind: PiStack\nmetadata: {name: bad, namespace: default}\n"
        + "spec:\n  version: v\n  " + spec + "\n";
    GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    assertThatThrownBy(() -> admin.resource(r).dryRun().create()).isInstanceOfSatisfying(
        KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422)).hasMessageContaining(expected);
  }
}
