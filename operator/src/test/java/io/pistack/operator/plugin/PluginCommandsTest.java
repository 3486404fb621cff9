package io.pistack.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.it.Stacks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl pi's output and exit codes against the fabric8 mock API server (CRUD mode). */
@EnableKubernetesMockClient(crud = true, https = false)
class PluginCommandsTest {
  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir
  Path dir;
  String kubeconfig;

  @BeforeEach
  void kubeconfig() throws Exception {
    Path f = dir.resolve("kubeconfig");
    Files.writeString(f, PluginRun.kubeconfig(server.url("/").replaceAll("/$", ""), "team"));
    kubeconfig = f.toString();
  }

  PiStack stack(String ns) {
    PiStack s = Stacks.sample("small.yaml", ns);
    PiStack created = client.resource(s).create();
    PiStackStatus st = new PiStackStatus();
    st.conditions = List.of(new ConditionBuilder().withType("Ready").withStatus("False").withReason("ComponentsNotReady")
        .withMessage("dashboard: 0/1 ready").build());
    ComponentStatus dash = new ComponentStatus();
    dash.desiredReplicas = 1;
    dash.readyReplicas = 0;
    dash.image = "ghcr.io/pi/dashboard:2024.12";
    st.components.put("dashboard", dash);
    st.url = "https://pi.example.com";
    st.backup = new BackupStatus();
    st.backup.lastSuccessfulTime = "2026-12-06T03:00:00Z";
    st.backup.lastBackupName = "pi-20261206-0300.sql.gz";
    created.setStatus(st);
    return client.resource(created).updateStatus();
  }

  @Test
  void statusOfAMissingStackReadsLikeKubectlAndExitsOne() {
    PluginRun r = PluginRun.with(kubeconfig, "status", "nope");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("error: pistacks.pistack.io \"nope\" not found\n");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void statusShowsConditionsComponentsBackupAndUrlFromTheContextsNamespace() {
    stack("team");
    PluginRun r = PluginRun.with(kubeconfig, "status", "pi");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Stack:      team/pi", "URL:        https://pi.example.com")
        .containsPattern("Ready +False +ComponentsNotReady +dashboard: 0/1 ready")
        .containsPattern("dashboard +0/1 +ghcr.io/pi/dashboard:2024.12")
        .contains("Last success: 2026-12-06T03:00:00Z (pi-20261206-0300.sql.gz)", "Restore:    (none)");
    // Another namespace, by -n or by another context, does not have it.
    assertThat(PluginRun.with(kubeconfig, "status", "pi", "-n", "elsewhere").code()).isEqualTo(1);
    assertThat(PluginRun.with(kubeconfig, "status", "pi", "--context", "other").err())
        .isEqualTo("error: pistacks.pistack.io \"pi\" not found\n");
    stack("other");
    assertThat(PluginRun.with(kubeconfig, "status", "pi", "--context", "other").out()).contains("other/pi");
  }

  @Test
  void anUnreachableServerIsOneSentenceAndExitOne() throws Exception {
    Path kc = dir.resolve("nowhere");
    Files.writeString(kc, PluginRun.kubeconfig("http://127.0.0.1:1", "team"));
    PluginRun r = PluginRun.with(kc.toString(), "status", "pi");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: unable to connect to the server: ").doesNotContain("Operation:", "\tat ");
  }

  @Test
  void statusPrintsYamlOrJsonAndRefusesOtherFormatsWithTwo() {
    stack("team");
    assertThat(PluginRun.with(kubeconfig, "status", "pi", "-o", "yaml").out())
        .contains("kind: \"PiStack\"", "reason: \"ComponentsNotReady\"");
    assertThat(PluginRun.with(kubeconfig, "status", "pi", "-o", "json").out()).contains("\"kind\" : \"PiStack\"");
    PluginRun wide = PluginRun.with(kubeconfig, "status", "pi", "-o", "wide");
    assertThat(wide.code()).isEqualTo(2);
    assertThat(wide.err()).startsWith("error: unable to match a printer");
  }

  @Test
  void everySubcommandHasHelpAndAMissingArgumentIsAUsageErrorTwo() {
    for (String c : List.of("status", "report", "backup", "render", "validate")) {
      PluginRun r = PluginRun.of(c, "--help");
      assertThat(r.code()).as(c).isZero();
      assertThat(r.out()).as(c).startsWith("Usage: kubectl pi " + c);
    }
    assertThat(PluginRun.of("--help").out()).contains("status", "report", "backup", "render", "validate");
    PluginRun missing = PluginRun.of("status");
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).isEqualTo("error: Missing required parameter: 'STACK'\n"
        + "See 'kubectl pi status --help' for usage.\n");
    assertThat(PluginRun.of("report", "pi").code()).as("report without -f").isEqualTo(2);
  }

  @Test
  void validateSaysValidOrListsEveryProblemWithTwo() throws Exception {
    PluginRun ok = PluginRun.of("validate", "-f", Stacks.repoRoot().resolve("samples/small.yaml").toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).isEqualTo("pistack/pi is valid\n");
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(Stacks.repoRoot().resolve("samples/small.yaml")).replace("replicas: 1",
        "replicas: many"));
    PluginRun r = PluginRun.of("validate", "-f", bad.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: the PiStack pi is invalid:\n  - ");
    assertThat(PluginRun.of("validate", "-f", dir.resolve("none.yaml").toString()).code()).isEqualTo(2);
  }

  @Test
  void backupCreatesAManualJobFromTheStacksCronJobAsKubectlCreateJobFromDoes() {
    stack("team");
    PluginRun none = PluginRun.with(kubeconfig, "backup", "pi");
    assertThat(none.code()).isEqualTo(1);
    assertThat(none.err()).startsWith("error: cronjobs.batch \"pi-backup\" not found");
    CronJob cron = client.resource(new CronJobBuilder().withNewMetadata().withName("pi-backup").withNamespace("team")
        .endMetadata().withNewSpec().withSchedule("0 3 * * *").withNewJobTemplate().withNewMetadata()
        .addToLabels("app.kubernetes.io/instance", "pi").endMetadata().withNewSpec().withBackoffLimit(0)
        .withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("backup")
        .withImage("backup:1").endContainer().endSpec().endTemplate().endSpec().endJobTemplate().endSpec().build())
        .create();
    PluginRun r = PluginRun.with(kubeconfig, "backup", "pi");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("job.batch/pi-backup-manual-").endsWith(" created\n");
    Job job = client.batch().v1().jobs().inNamespace("team").list().getItems().get(0);
    assertThat(job.getMetadata().getAnnotations()).containsEntry("cronjob.kubernetes.io/instantiate", "manual");
    assertThat(job.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo(cron.getMetadata().getUid()));
    assertThat(job.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "pi");
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("backup:1");
  }

  @Test
  void backupCreatesAPiBackupWhereTheClusterServesThem() {
    stack("team");
    server.expect().get().withPath("/apis/pistack.io/v1alpha1").andReturn(200, new io.fabric8.kubernetes.api.model
        .APIResourceListBuilder().withGroupVersion("pistack.io/v1alpha1").addNewResource().withName("pibackups")
        .withKind("PiBackup").withNamespaced(true).withSingularName("pibackup").withVerbs("create", "get")
        .endResource().build()).always();
    PluginRun r = PluginRun.with(kubeconfig, "backup", "pi", "--verify");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).matches("pibackup\\.pistack\\.io/pi-\\d{8}-\\d{6} created\n");
    var made = client.resources(io.pistack.operator.api.v1alpha1.PiBackup.class).inNamespace("team").list()
        .getItems();
    assertThat(made).singleElement().satisfies(b -> {
      assertThat(r.out()).contains(b.getMetadata().getName());
      assertThat(b.getSpec().stack).isEqualTo("pi");
      assertThat(b.getSpec().verifyWanted()).isTrue();
      assertThat(b.getMetadata().getLabels()).as("the user's own object, never pruned").isNullOrEmpty();
    });
    assertThat(client.batch().v1().jobs().inNamespace("team").list().getItems()).isEmpty();
  }
}
