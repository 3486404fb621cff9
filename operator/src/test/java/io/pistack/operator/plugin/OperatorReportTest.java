package io.pistack.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl pi report operator} against the fabric8 mock: the operator's Deployment and pod, its metrics read
 * through the API server's pod proxy (the mock answers that path as the API server would relay the pod's answer),
 * and no Secret value anywhere, even one the metrics or an env var carried.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class OperatorReportTest {
  static final String TOKEN = "op-T0ken-5ecret-77a1";
  static final String METRICS = "# HELP pi_operator_stack_ready 1 when the stack is Ready\n"
      + "pi_operator_stack_ready{namespace=\"team\",name=\"pi\"} 1.0\n"
      + "leaked_label{value=\"" + TOKEN + "\"} 1.0\n";
  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir
  Path dir;

  @Test
  void theBundleHasTheOperatorItsMetricsThroughThePodProxyAndNoSecretValue() throws Exception {
    Path kc = dir.resolve("kubeconfig");
    Files.writeString(kc, PluginRun.kubeconfig(server.url("/").replaceAll("/$", ""), "team"));
    Map<String, String> labels = Map.of("app.kubernetes.io/part-of", "pi-operator", "app.kubernetes.io/name",
        "pi-operator");
    client.resource(new SecretBuilder().withNewMetadata().withName("op-token").withNamespace("ops").endMetadata()
        .addToData("token", b64(TOKEN)).build()).create();
    client.resource(new DeploymentBuilder().withNewMetadata().withName("pi-operator").withNamespace("ops")
        .withLabels(labels).endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewContainer()
        .withName("operator").addNewEnv().withName("UPSTREAM").withValue("x" + TOKEN).endEnv().endContainer()
        .endSpec().endTemplate().endSpec().build()).create();
    client.resource(new PodBuilder().withNewMetadata().withName("pi-operator-abc").withNamespace("ops")
        .withLabels(labels).endMetadata().withNewSpec().addNewContainer().withName("operator").addNewPort()
        .withName("http").withContainerPort(8080).endPort().endContainer().endSpec().build()).create();
    server.expect().get().withPath("/api/v1/namespaces/ops/pods/pi-operator-abc:8080/proxy/metrics")
        .andReturn(200, METRICS).always();

    Path bundle = dir.resolve("op.zip");
    PluginRun r = PluginRun.with(kc.toString(), "report", "operator", "-n", "ops", "-f", bundle.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("wrote " + bundle + ": the operator in namespace ops, 1 objects, 1 pods, 1 metrics"
        + " (through the API server's pod proxy)");
    Map<String, String> entries = BundleScan.entries(bundle);
    assertThat(entries).containsKeys("README.txt", "objects/deployment/pi-operator.yaml", "pods/pi-operator-abc.yaml",
        "metrics/pi-operator-abc.txt", "secrets.yaml", "events.yaml");
    assertThat(entries.get("metrics/pi-operator-abc.txt")).contains("pi_operator_stack_ready{namespace=\"team\"");
    assertThat(entries.get("README.txt")).contains("pod proxy", "/api/v1/namespaces/ops/pods/<pod>:<port>/proxy/metrics")
        .doesNotContain("Not included");
    Map<String, String> secrets = new HashMap<>(Map.of("token", TOKEN));
    assertThat(BundleScan.find(entries, secrets)).isEmpty();
    Map<String, String> planted = new HashMap<>(entries);
    planted.put("planted.txt", "t=" + b64(TOKEN));
    assertThat(BundleScan.find(planted, secrets)).contains("planted.txt: token (base64)");
  }

  @Test
  void noOperatorInTheNamespaceIsAnErrorAndNoBundle() throws Exception {
    Path kc = dir.resolve("kubeconfig");
    Files.writeString(kc, PluginRun.kubeconfig(server.url("/").replaceAll("/$", ""), "team"));
    Path bundle = dir.resolve("none.zip");
    PluginRun r = PluginRun.with(kc.toString(), "report", "operator", "-f", bundle.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: no pi-operator Deployment (label app.kubernetes.io/part-of=pi-operator)"
        + " in namespace team: give the operator's namespace with -n");
    assertThat(bundle).doesNotExist();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
