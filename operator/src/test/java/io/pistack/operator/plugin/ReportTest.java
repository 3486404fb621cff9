package io.pistack.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pistack.operator.it.Stacks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl pi report against the fabric8 mock: the bundle holds the stack, its children and Secrets by name and keys,
 * and no secret value, wherever the cluster had put one (a Secret, an env var, a ConfigMap, an annotation).
 */
@EnableKubernetesMockClient(crud = true, https = false)
class ReportTest {
  static final String LICENCE = "<licence>\n  <key>LIC-8f2e61c0-secret-key</key>\n</licence>\n";
  static final String PASSWORD = "db-Pa55-w0rd-91c7";
  static final String PLAIN_PASSWORD = "s3cr3t-in-plain-env";
  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir
  Path dir;

  @Test
  void theBundleHasTheStackAndItsChildrenAndNoSecretValue() throws Exception {
    Path kc = dir.resolve("kubeconfig");
    Files.writeString(kc, PluginRun.kubeconfig(server.url("/").replaceAll("/$", ""), "team"));
    client.resource(Stacks.sample("small.yaml", "team")).create();
    client.resource(new SecretBuilder().withNewMetadata().withName("pi-licence").withNamespace("team").endMetadata()
        .addToData("licence", b64(LICENCE)).build()).create();
    client.resource(new SecretBuilder().withNewMetadata().withName("pi-db-credentials").withNamespace("team")
        .addToLabels("app.kubernetes.io/instance", "pi").endMetadata().addToData("password", b64(PASSWORD)).build())
        .create();
    Map<String, String> labels = Map.of("app.kubernetes.io/instance", "pi");
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("pi-config").withNamespace("team")
        .withLabels(labels).addToAnnotations("licence-copy", LICENCE).endMetadata()
        .addToData("DB_PASSWORD", PLAIN_PASSWORD).addToData("copied", "pw=" + PASSWORD).addToData("host", "pi-db")
        .build()).create();
    client.resource(new DeploymentBuilder().withNewMetadata().withName("pi-dashboard").withNamespace("team")
        .withLabels(labels).endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewContainer()
        .withName("dashboard").addNewEnv().withName("PI_DB_PASSWORD").withValue(PLAIN_PASSWORD).endEnv()
        .addNewEnv().withName("LIC_B64").withValue(b64(LICENCE)).endEnv()
        .addNewEnv().withName("PI_DB_HOST").withValue("pi-db").endEnv().endContainer().endSpec().endTemplate()
        .endSpec().build()).create();

    Path bundle = dir.resolve("bundle.zip");
    PluginRun r = PluginRun.of("report", "pi", "-f", bundle.toString(), "--kubeconfig", kc.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("wrote " + bundle + ": pistack/pi, 2 objects");

    Map<String, String> entries = BundleScan.entries(bundle);
    assertThat(entries).containsKeys("README.txt", "pistack.yaml", "objects/deployment/pi-dashboard.yaml",
        "objects/configmap/pi-config.yaml", "secrets.yaml", "events.yaml");
    assertThat(entries.get("pistack.yaml")).contains("secretName: \"pi-licence\"");
    assertThat(entries.get("secrets.yaml")).contains("pi-db-credentials", "password", "pi-licence", "licence");
    assertThat(entries.get("objects/deployment/pi-dashboard.yaml")).contains("PI_DB_HOST", "pi-db");
    Map<String, String> secrets = new HashMap<>(Map.of("licence", LICENCE, "licence key", "LIC-8f2e61c0-secret-key",
        "password", PASSWORD, "plain env password", PLAIN_PASSWORD));
    assertThat(BundleScan.find(entries, secrets)).isEmpty();

    // The scan finds what it looks for: a planted value, as written and base64-encoded.
    Map<String, String> planted = new HashMap<>(entries);
    planted.put("planted.yaml", "a: " + PASSWORD + "\nb: " + b64(LICENCE) + "\n");
    assertThat(BundleScan.find(planted, secrets)).contains("planted.yaml: password (plain)",
        "planted.yaml: licence (base64)");
  }

  @Test
  void aMissingStackWritesNoBundle() {
    Path kc = dir.resolve("kubeconfig");
    PluginRun r;
    try {
      Files.writeString(kc, PluginRun.kubeconfig(server.url("/").replaceAll("/$", ""), "team"));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    r = PluginRun.of("report", "nope", "-f", dir.resolve("b.zip").toString(), "--kubeconfig", kc.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: pistacks.pistack.io \"nope\" not found\n");
    assertThat(dir.resolve("b.zip")).doesNotExist();
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
