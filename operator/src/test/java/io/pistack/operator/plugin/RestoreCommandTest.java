package io.pistack.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupSpec;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl pi restore against the fabric8 mock API server: the confirmation, --force, and what it sets. */
@EnableKubernetesMockClient(crud = true, https = false)
class RestoreCommandTest {
  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir
  Path dir;
  String kubeconfig;
  final RestoreCommand.Terminal original = RestoreCommand.terminal;

  @BeforeEach
  void setUp() throws Exception {
    Path f = dir.resolve("kubeconfig");
    Files.writeString(f, PluginRun.kubeconfig(server.url("/").replaceAll("/$", ""), "team"));
    kubeconfig = f.toString();
    client.resource(Stacks.sample("small.yaml", "team")).create();
    for (String[] b : new String[][] {{"monday", "2026-12-07T02:00:00Z"}, {"tuesday", "2026-12-08T02:00:00Z"}}) {
      PiBackup pib = new PiBackup();
      pib.getMetadata().setName(b[0]);
      pib.getMetadata().setNamespace("team");
      pib.setSpec(new PiBackupSpec());
      pib.getSpec().stack = "pi";
      pib.setStatus(new PiBackupStatus());
      pib.getStatus().phase = PiBackupStatus.Phase.Completed;
      pib.getStatus().completionTime = b[1];
      pib.getStatus().backupName = "on-demand-" + b[1].replaceAll("[-:]", "");
      pib.getStatus().location = "s3://acme/team/pi/" + pib.getStatus().backupName;
      client.resource(pib).create();
    }
  }

  @AfterEach
  void restoreTerminal() {
    RestoreCommand.terminal = original;
  }

  static RestoreCommand.Terminal terminal(boolean interactive, String... answers) {
    Deque<String> lines = new ArrayDeque<>(java.util.List.of(answers));
    return new RestoreCommand.Terminal() {
      @Override
      public boolean interactive() {
        return interactive;
      }

      @Override
      public String readLine() throws IOException {
        return lines.poll();
      }
    };
  }

  PiStack stack() {
    return client.resources(PiStack.class).inNamespace("team").withName("pi").get();
  }

  @Test
  void withoutATerminalAndWithoutForceItRefusesWithTwoAndChangesNothing() {
    RestoreCommand.terminal = terminal(false);
    PluginRun r = PluginRun.with(kubeconfig, "restore", "pi", "--backup", "monday");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).isEqualTo("error: refusing to overwrite the database of pistack/pi without confirmation: the"
        + " input is not a terminal; pass --force (or -y)\n");
    assertThat(stack().getSpec().restore).isNull();
  }

  @Test
  void theConfirmationSaysWhatIsOverwrittenAndSinceWhenAndNoKeepsTheStack() {
    RestoreCommand.terminal = terminal(true, "n");
    PluginRun no = PluginRun.with(kubeconfig, "restore", "pi", "--before", "2026-12-08T00:00:00Z");
    assertThat(no.code()).isEqualTo(1);
    assertThat(no.out()).startsWith("This overwrites the database contents and shared files of pistack/pi in"
        + " namespace team with PiBackup monday (on-demand-20261207T020000Z, completed 2026-12-07T02:00:00Z); every"
        + " change since 2026-12-07T02:00:00Z is lost.").contains("Continue? [y/N] ").endsWith("not restored\n");
    assertThat(stack().getSpec().restore).isNull();

    RestoreCommand.terminal = terminal(true, "y");
    PluginRun yes = PluginRun.with(kubeconfig, "restore", "pi", "--before", "2026-12-08T00:00:00Z");
    assertThat(yes.code()).as(yes.err()).isZero();
    assertThat(stack().getSpec().restore.before).isEqualTo("2026-12-08T00:00:00Z");
    assertThat(stack().getSpec().restore.force).isTrue();
    assertThat(stack().getSpec().restore.piBackup).isNull();
  }

  @Test
  void forceSkipsTheQuestionAndAPiBackupOrABackupNameIsSet() {
    RestoreCommand.terminal = terminal(false);
    PluginRun r = PluginRun.with(kubeconfig, "restore", "pi", "--backup", "tuesday", "-y");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("pistack.pistack.io/pi restore requested (PiBackup tuesday");
    assertThat(stack().getSpec().restore.piBackup).isEqualTo("tuesday");
    assertThat(stack().getSpec().restore.backup).isNull();
    PluginRun named = PluginRun.with(kubeconfig, "restore", "pi", "--backup", "scheduled-20261201T020000Z", "--force");
    assertThat(named.code()).as(named.err()).isZero();
    assertThat(stack().getSpec().restore.backup).isEqualTo("scheduled-20261201T020000Z");
    assertThat(stack().getSpec().restore.piBackup).isNull();
    assertThat(PluginRun.with(kubeconfig, "restore", "pi", "--before", "yesterday", "-y").code()).isEqualTo(2);
    assertThat(PluginRun.with(kubeconfig, "restore", "pi", "--before", "2020-01-01T00:00:00Z", "-y").err())
        .startsWith("error: no Completed PiBackup of pistack/pi completed before 2020-01-01T00:00:00Z");
    assertThat(PluginRun.with(kubeconfig, "restore", "pi", "-y").code()).as("--backup or --before").isEqualTo(2);
  }
}
