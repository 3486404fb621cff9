package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupSpec;
import io.pistack.operator.plugin.BundleScan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl pi report operator --logs} on the real API server, the operator running: the operator's
 * Deployment, Service and pod as the chart labels them (the pod cannot be placed: a kwok pod serves nothing and has
 * an address in 10.x, which nothing here may be asked to reach), their events, and the metrics request through
 * the real API server's pod proxy, whose refusal (the pod has no address) is named in README.txt, not a failure.
 * A Secret's value planted in the Deployment's env and, base64-encoded, in an annotation is in no entry of the
 * bundle; the scan finds it when planted. The stack's report of the same namespace includes the PiBackup that
 * names the stack.
 */
class ReportOperatorOnRealApiTest {
  static final Duration T = RealApiStack.T;
  @TempDir
  Path dir;

  @Test
  void theOperatorsReportHasItsObjectsNamesTheMetricsItCouldNotReadAndNoSecret() throws Exception {
    try (RealApiStack env = new RealApiStack("report-op", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"))) {
      var admin = env.admin;
      admin.resource(env.smallStack()).create();
      await().atMost(T).until(() -> "AllComponentsReady".equals(env.readyReason()));
      String token = "op-" + UUID.randomUUID();
      String b64 = Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
      admin.resource(new SecretBuilder().withNewMetadata().withName("operator-token").withNamespace(env.ns)
          .endMetadata().addToStringData("token", token).build()).create();
      Map<String, String> labels = Map.of("app.kubernetes.io/name", "pi-operator", "app.kubernetes.io/instance",
          "pi-operator", "app.kubernetes.io/part-of", "pi-operator");
      admin.resource(new DeploymentBuilder().withNewMetadata().withName("pi-operator").withNamespace(env.ns)
          .withLabels(labels).addToAnnotations("example.com/copied", b64).endMetadata().withNewSpec().withReplicas(1)
          .withNewSelector().withMatchLabels(labels).endSelector().withNewTemplate().withNewMetadata()
          .withLabels(labels).endMetadata().withNewSpec()
          .withNodeSelector(Map.of("example.com/no-such-node", "true"))
          .addNewContainer().withName("operator").withImage("ghcr.io/pi-cr/pi-operator:test")
          .addNewPort().withName("http").withContainerPort(8080).endPort()
          .addNewEnv().withName("UPSTREAM_TOKEN").withValue(token).endEnv()
          .endContainer().endSpec().endTemplate().endSpec().build()).create();
      admin.resource(new ServiceBuilder().withNewMetadata().withName("pi-operator").withNamespace(env.ns)
          .withLabels(labels).endMetadata().withNewSpec().withSelector(labels).addNewPort().withName("http")
          .withPort(8080).endPort().endSpec().build()).create();
      await().atMost(T).until(() -> !admin.pods().inNamespace(env.ns).withLabels(labels).list().getItems().isEmpty());
      PiBackup backup = new PiBackup();
      backup.getMetadata().setName("pi-now");
      backup.getMetadata().setNamespace(env.ns);
      backup.setSpec(new PiBackupSpec());
      backup.getSpec().stack = "pi";
      admin.resource(backup).create();

      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, RealApiServer.get().kubeconfig());
      KubectlPiOnRealApiTest pi = new KubectlPiOnRealApiTest();
      Path bundle = dir.resolve("operator.zip");
      KubectlPiOnRealApiTest.Run run = pi.pi(kubeconfig, env.ns, "report", "operator", "-f", bundle.toString(),
          "--logs");
      assertThat(run.code()).as(run.err()).isZero();
      assertThat(run.out()).contains("the operator in namespace " + env.ns + ", 2 objects, 1 pods, 0 metrics"
          + " (through the API server's pod proxy)");
      assertThat(run.err()).contains("warning: not in the report: metrics of pod pi-operator-")
          .contains("the API server's pod proxy answered");
      Map<String, String> entries = BundleScan.entries(bundle);
      assertThat(entries).containsKeys("README.txt", "objects/deployment/pi-operator.yaml",
          "objects/service/pi-operator.yaml", "secrets.yaml", "events.yaml");
      assertThat(entries.keySet()).anyMatch(k -> k.startsWith("pods/pi-operator-"))
          .anyMatch(k -> k.startsWith("logs/pi-operator-"));
      assertThat(entries.get("README.txt")).contains("Not included:", "metrics of pod pi-operator-",
          "/proxy/metrics");
      assertThat(entries.get("objects/deployment/pi-operator.yaml")).contains("UPSTREAM_TOKEN", "<redacted>");
      assertThat(entries.get("secrets.yaml")).contains("operator-token");

      Map<String, String> secrets = new LinkedHashMap<>();
      secrets.put("operator token", token);
      admin.secrets().inNamespace(env.ns).list().getItems().forEach(s -> {
        if (s.getData() != null) {
          s.getData().forEach((k, v) -> {
            String value = new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
            if (value.strip().length() >= 8) {
              secrets.put(s.getMetadata().getName() + "/" + k, value);
            }
          });
        }
      });
      assertThat(BundleScan.find(entries, secrets)).isEmpty();
      Map<String, String> planted = new LinkedHashMap<>(entries);
      planted.put("planted", "x " + b64);
      assertThat(BundleScan.find(planted, secrets)).anyMatch(f -> f.startsWith("planted: ") && f.endsWith("(base64)"));

      // The stack's report of this namespace: the PiBackup naming the stack is in it.
      Path stackBundle = dir.resolve("stack.zip");
      KubectlPiOnRealApiTest.Run stack = pi.pi(kubeconfig, env.ns, "report", "pi", "-f", stackBundle.toString());
      assertThat(stack.code()).as(stack.err()).isZero();
      assertThat(BundleScan.entries(stackBundle)).containsKey("objects/pibackup/pi-now.yaml");
    }
  }
}
