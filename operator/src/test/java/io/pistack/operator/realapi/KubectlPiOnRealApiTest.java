package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.PiStack;
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
    rules.add(rule("gateway.networking.k8s.io", List.of("httproutes", "backendtlspolicies"), "list"));
    rules.add(rule("pistack.io", List.of("pibackups"), "list"));
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
    ServiceAccountKubeconfig.write(env, "viewer", documentedRules(true), kubeconfig);
    await().atMost(T).until(() -> pi(kubeconfig, env.ns, "status", "pi").code() == 0);
    Path bundle = dir.resolve("viewer.zip");
    Run report = pi(kubeconfig, env.ns, "report", "pi", "-f", bundle.toString(), "--logs");
    assertThat(report.code()).as(report.err()).isZero();
    assertThat(report.err()).as("nothing left out").isEmpty();
    assertThat(BundleScan.entries(bundle).get("README.txt")).doesNotContain("Not included");

    admin.rbac().roles().inNamespace(env.ns).withName("viewer").edit(r -> {
      r.setRules(documentedRules(false));
      return r;
    });
    Path none = dir.resolve("none.zip");
    await().atMost(T).until(() -> pi(kubeconfig, env.ns, "report", "pi", "-f", none.toString()).code() == 1);
    Run refused = pi(kubeconfig, env.ns, "report", "pi", "-f", none.toString());
    assertThat(refused.err()).startsWith("error: cannot list secrets, so their values cannot be removed");
    assertThat(none).doesNotExist();
  }

  /**
   * backup and restore against the live stack, by a user holding only their rows of docs/kubectl-pi.md's table:
   * backup makes a PiBackup of the stack; restore without a terminal and without --force refuses (exit 2) and leaves
   * the stack as it was; with --force it sets spec.restore to that PiBackup, which the operator then acts on (the
   * backup has not completed, so the restore is refused with its reason).
   */
  void backupAndAGatedRestore(RealApiStack env, Path kubeconfig) throws Exception {
    ServiceAccountKubeconfig.write(env, "backup-operator", List.of(rule("pistack.io", List.of("pistacks"), "get"),
        rule("pistack.io", List.of("pistacks"), "patch"), rule("pistack.io", List.of("pibackups"), "create"),
        rule("pistack.io", List.of("pibackups"), "get"), rule("pistack.io", List.of("pibackups"), "list")), kubeconfig);
    await().atMost(T).until(() -> pi(kubeconfig, env.ns, "status", "pi").code() == 0);
    Run backup = pi(kubeconfig, env.ns, "backup", "pi");
    assertThat(backup.code()).as(backup.err()).isZero();
    assertThat(backup.out()).startsWith("pibackup.pistack.io/pi-").endsWith(" created\n");
    String name = backup.out().strip().substring("pibackup.pistack.io/".length()).replace(" created", "");
    io.pistack.operator.api.v1alpha1.PiBackup made = env.admin.resources(io.pistack.operator.api.v1alpha1.PiBackup.class)
        .inNamespace(env.ns).withName(name).get();
    assertThat(made).as("the PiBackup " + name).isNotNull();
    assertThat(made.getSpec().stack).isEqualTo("pi");

    Run unconfirmed = pi(kubeconfig, env.ns, "restore", "pi", "--backup", name);
    assertThat(unconfirmed.code()).as(unconfirmed.err()).isEqualTo(2);
    assertThat(unconfirmed.err()).startsWith("error: refusing to overwrite the database of pistack/pi without"
        + " confirmation");
    assertThat(env.admin.resources(PiStack.class).inNamespace(env.ns).withName("pi").get().getSpec().restore)
        .as("nothing changed without the confirmation").isNull();

    Run forced = pi(kubeconfig, env.ns, "restore", "pi", "--backup", name, "--force");
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(forced.out()).startsWith("pistack.pistack.io/pi restore requested (PiBackup " + name);
    var restore = env.admin.resources(PiStack.class).inNamespace(env.ns).withName("pi").get().getSpec().restore;
    assertThat(restore.piBackup).isEqualTo(name);
    assertThat(restore.force).isTrue();
    await().atMost(T).until(() -> "RestoreSourceRefused".equals(env.readyReason()));
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
      backupAndAGatedRestore(env, dir.resolve("backup-kubeconfig"));
    }
  }
}
