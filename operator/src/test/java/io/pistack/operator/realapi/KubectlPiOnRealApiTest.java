package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.plugin.BundleScan;
import io.pistack.operator.plugin.PluginMain;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kubectl pi against a live stack on the real API server, with the operator running: {@code status} shows the Ready
 * stack's conditions and components; {@code report --logs} writes a bundle with the stack, its children and events, in
 * which neither the licence nor any generated password appears, as written or base64-encoded (the scan is shown to
 * find a planted one).
 */
class KubectlPiOnRealApiTest {
  static final Duration T = RealApiStack.T;
  @TempDir
  Path dir;

  record Run(int code, String out, String err) {}

  Run pi(Path kubeconfig, String ns, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = PluginMain.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--kubeconfig";
    all[args.length + 1] = kubeconfig.toString();
    all[args.length + 2] = "-n";
    all[args.length + 3] = ns;
    return new Run(cl.execute(all), out.toString(), err.toString());
  }

  /** Each rule of docs/kubectl-pi.md's table for status and report (with --logs). */
  static List<PolicyRule> documentedRules(boolean secrets) {
    List<PolicyRule> rules = new ArrayList<>();
    rules.add(rule("pistack.io", List.of("pistacks"), "get"));
    List<String> core = new ArrayList<>(List.of("services", "configmaps", "persistentvolumeclaims", "serviceaccounts",
        "pods", "events"));
    if (secrets) {
      core.add("secrets");
    }
    rules.add(rule("", core, "list"));
    rules.add(rule("", List.of("pods/log"), "get"));
    rules.add(rule("apps", List.of("deployments", "statefulsets"), "list"));
    rules.add(rule("batch", List.of("jobs", "cronjobs"), "list"));
    rules.add(rule("networking.k8s.io", List.of("ingresses", "networkpolicies"), "list"));
    rules.add(rule("policy", List.of("poddisruptionbudgets"), "list"));
    rules.add(rule("autoscaling", List.of("horizontalpodautoscalers"), "list"));
    return rules;
  }

  static PolicyRule rule(String group, List<String> resources, String verb) {
    return new PolicyRuleBuilder().withApiGroups(group).withResources(resources).withVerbs(verb).build();
  }

  /**
   * A user with only the documented permissions runs status and report --logs, and the report leaves nothing out;
   * without list on secrets the report refuses (exit 1) and writes nothing.
   */
  void documentedPermissionsAreEnough(RealApiStack env, Path kubeconfig) throws Exception {
    KubernetesClient admin = env.admin;
    admin.resource(new ServiceAccountBuilder().withNewMetadata().withName("viewer").withNamespace(env.ns)
        .endMetadata().build()).create();
    admin.resource(new RoleBuilder().withNewMetadata().withName("kubectl-pi").withNamespace(env.ns).endMetadata()
        .withRules(documentedRules(true)).build()).create();
    admin.resource(new RoleBindingBuilder().withNewMetadata().withName("kubectl-pi").withNamespace(env.ns)
        .endMetadata().withNewRoleRef("rbac.authorization.k8s.io", "Role", "kubectl-pi")
        .addNewSubject().withKind("ServiceAccount").withName("viewer").withNamespace(env.ns).endSubject().build())
        .create();
    String token = admin.serviceAccounts().inNamespace(env.ns).withName("viewer")
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L).endSpec().build())
        .getStatus().getToken();
    var c = admin.getConfiguration();
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: real
          cluster: {server: "%s", certificate-authority-data: "%s"}
        users:
        - name: viewer
          user: {token: "%s"}
        contexts:
        - name: viewer
          context: {cluster: real, user: viewer}
        current-context: viewer
        """.formatted(c.getMasterUrl(), c.getCaCertData(), token));
    await().atMost(T).until(() -> pi(kubeconfig, env.ns, "status", "pi").code() == 0);
    Path bundle = dir.resolve("viewer.zip");
    Run report = pi(kubeconfig, env.ns, "report", "pi", "-f", bundle.toString(), "--logs");
    assertThat(report.code()).as(report.err()).isZero();
    assertThat(report.err()).as("nothing left out").isEmpty();
    assertThat(BundleScan.entries(bundle).get("README.txt")).doesNotContain("Not included");

    admin.rbac().roles().inNamespace(env.ns).withName("kubectl-pi").edit(r -> {
      r.setRules(documentedRules(false));
      return r;
    });
    Path none = dir.resolve("none.zip");
    await().atMost(T).until(() -> pi(kubeconfig, env.ns, "report", "pi", "-f", none.toString()).code() == 1);
    Run refused = pi(kubeconfig, env.ns, "report", "pi", "-f", none.toString());
    assertThat(refused.err()).startsWith("error: cannot list secrets, so their values cannot be removed");
    assertThat(none).doesNotExist();
  }

  @Test
  void statusAndAReportWithLogsOfALiveStackAndNoSecretInTheBundle() throws Exception {
    try (RealApiStack env = new RealApiStack("kubectl-pi", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"))) {
      KubernetesClient admin = env.admin;
      String licence = "<licence>\n  <key>" + UUID.randomUUID() + "</key>\n</licence>\n";
      admin.secrets().inNamespace(env.ns).withName("pi-licence").edit(s -> {
        s.setData(null);
        s.setStringData(Map.of("licence", licence));
        return s;
      });
      admin.resource(env.smallStack()).create();
      await().atMost(T).until(() -> "AllComponentsReady".equals(env.readyReason()));
      Path kubeconfig = dir.resolve("kubeconfig");
      Files.writeString(kubeconfig, RealApiServer.get().kubeconfig());

      Run status = pi(kubeconfig, env.ns, "status", "pi");
      assertThat(status.code()).as(status.err()).isZero();
      assertThat(status.out()).contains("Stack:      " + env.ns + "/pi")
          .containsPattern("Ready +True +AllComponentsReady")
          .containsPattern("dashboard +2/2 +ghcr.io/")
          .contains("Database:   embedded, ready True (EmbeddedReady: embedded MariaDB pi-db is ready)",
              "Restore:    (none)");
      assertThat(pi(kubeconfig, env.ns, "status", "absent").err())
          .isEqualTo("error: pistacks.pistack.io \"absent\" not found\n");

      Path bundle = dir.resolve("bundle.zip");
      Run report = pi(kubeconfig, env.ns, "report", "pi", "-f", bundle.toString(), "--logs");
      assertThat(report.code()).as(report.err()).isZero();
      Map<String, String> entries = BundleScan.entries(bundle);
      assertThat(entries).containsKeys("pistack.yaml", "objects/deployment/pi-dashboard.yaml",
          "objects/statefulset/pi-db.yaml", "secrets.yaml", "events.yaml");
      assertThat(entries.keySet()).anyMatch(k -> k.startsWith("pods/pi-dashboard-"))
          .anyMatch(k -> k.startsWith("logs/pi-dashboard-"));
      assertThat(entries.get("pistack.yaml")).contains("AllComponentsReady");
      assertThat(entries.get("events.yaml")).contains("ScalingReplicaSet");

      // Every generated password (every value of every Secret the stack's namespace holds, but the pull Secret's
      // fixed test token) and the licence: none in the bundle.
      Map<String, String> secrets = new LinkedHashMap<>();
      secrets.put("licence", licence);
      secrets.put("licence key line", licence.lines().toList().get(1).strip());
      List<Secret> all = admin.secrets().inNamespace(env.ns).list().getItems();
      for (Secret s : all) {
        if (s.getData() != null) {
          s.getData().forEach((k, v) -> {
            String value = new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
            if (value.strip().length() >= 8) {
              secrets.put(s.getMetadata().getName() + "/" + k, value);
            }
          });
        }
      }
      assertThat(secrets.keySet()).as("the generated credentials are among what is looked for")
          .anyMatch(k -> k.startsWith("pi-db-credentials/"));
      assertThat(BundleScan.find(entries, secrets)).isEmpty();
      for (Secret s : all) {
        assertThat(entries.get("secrets.yaml")).contains(s.getMetadata().getName());
      }
      documentedPermissionsAreEnough(env, dir.resolve("viewer-kubeconfig"));
      Map<String, String> planted = new LinkedHashMap<>(entries);
      String password = secrets.entrySet().stream().filter(e -> e.getKey().startsWith("pi-db-credentials/"))
          .findFirst().orElseThrow().getValue();
      planted.put("planted", "x " + Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)));
      assertThat(BundleScan.find(planted, secrets)).singleElement().asString().startsWith("planted: pi-db-credentials/")
          .endsWith("(base64)");
    }
  }
}
