package io.pistack.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupSpec;
import io.pistack.operator.it.Stacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack's report includes its HTTPRoute, its BackendTLSPolicy and the PiBackups that name it; on a cluster
 * without the Gateway API's CRDs (the API server answers 404 for those kinds) the report is still written, and
 * README.txt names what was skipped.
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ReportGatewayAndBackupsTest {
  static final String INSTANCE = "?labelSelector=app.kubernetes.io%2Finstance%3Dpi";
  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir
  Path dir;

  @Test
  void theRouteAndTheStacksPiBackupsAreInTheBundle() throws Exception {
    client.resource(Stacks.sample("small.yaml", "team")).create();
    client.resource(new HTTPRouteBuilder().withNewMetadata().withName("pi").withNamespace("team")
        .addToLabels("app.kubernetes.io/instance", "pi").endMetadata().withNewSpec().endSpec().build()).create();
    client.resource(piBackup("pi-now", "pi")).create();
    client.resource(piBackup("other-now", "other")).create();

    Path bundle = dir.resolve("b.zip");
    PluginRun r = PluginRun.with(kubeconfig(), "report", "pi", "-f", bundle.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Map<String, String> entries = BundleScan.entries(bundle);
    assertThat(entries).containsKeys("objects/httproute/pi.yaml", "objects/pibackup/pi-now.yaml")
        .doesNotContainKey("objects/pibackup/other-now.yaml");
    assertThat(entries.get("README.txt")).doesNotContain("Skipped");
  }

  @Test
  void aClusterWithoutTheGatewayApiStillGetsAReportThatNamesWhatWasSkipped() throws Exception {
    client.resource(Stacks.sample("small.yaml", "team")).create();
    server.expect().get().withPath("/apis/gateway.networking.k8s.io/v1/namespaces/team/httproutes" + INSTANCE)
        .andReturn(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\","
            + "\"code\":404,\"message\":\"the server could not find the requested resource\"}").always();
    server.expect().get().withPath("/apis/gateway.networking.k8s.io/v1/namespaces/team/backendtlspolicies" + INSTANCE)
        .andReturn(404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"NotFound\","
            + "\"code\":404,\"message\":\"the server could not find the requested resource\"}").always();

    Path bundle = dir.resolve("b.zip");
    PluginRun r = PluginRun.with(kubeconfig(), "report", "pi", "-f", bundle.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).as("a kind the cluster does not serve is not a warning").isEmpty();
    assertThat(BundleScan.entries(bundle).get("README.txt")).contains("Skipped (this cluster does not serve them):",
        "httproutes.gateway.networking.k8s.io: not served by this cluster",
        "backendtlspolicies.gateway.networking.k8s.io: not served by this cluster").doesNotContain("Not included");
  }

  private String kubeconfig() throws Exception {
    Path kc = dir.resolve("kubeconfig");
    Files.writeString(kc, PluginRun.kubeconfig(server.url("/").replaceAll("/$", ""), "team"));
    return kc.toString();
  }

  private static PiBackup piBackup(String name, String stack) {
    PiBackup b = new PiBackup();
    b.getMetadata().setName(name);
    b.getMetadata().setNamespace("team");
    b.setSpec(new PiBackupSpec());
    b.getSpec().stack = stack;
    return b;
  }
}
