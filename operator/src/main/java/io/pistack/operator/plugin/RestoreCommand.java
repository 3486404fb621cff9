package io.pistack.operator.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.model.RestoreResolver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kubectl pi restore <stack> --backup NAME | --before TIME [--force]}: sets the stack's spec.restore (with
 * force: the database has tables) after a confirmation that says what is overwritten. Without a terminal and without
 * {@code --force} it refuses (exit 2): a script never overwrites a database by accident.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
    description = "Restore a stack's database and shared files from a backup (sets spec.restore, force: true).")
public class RestoreCommand implements Callable<Integer> {
  /** Where the confirmation is read; a test replaces it. */
  interface Terminal {
    boolean interactive();

    String readLine() throws IOException;
  }

  static Terminal terminal = new Terminal() {
    private final BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    @Override
    public boolean interactive() {
      return System.console() != null;
    }

    @Override
    public String readLine() throws IOException {
      return in.readLine();
    }
  };

  @Mixin
  Kube kube;

  @Parameters(index = "0", paramLabel = "STACK", description = "The PiStack's name.")
  String name;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  static class Which {
    @Option(names = "--backup", paramLabel = "NAME", required = true,
        description = "A PiBackup of the stack, or a backup's name on its target (e.g. scheduled-20261207T020000Z).")
    String backup;

    @Option(names = "--before", paramLabel = "TIME", required = true,
        description = "RFC 3339 time: the newest Completed PiBackup of the stack that completed before it.")
    String before;
  }

  @Option(names = {"--force", "-y"}, description = "Do not ask for confirmation.")
  boolean force;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (which.before != null) {
      try {
        OffsetDateTime.parse(which.before);
      } catch (DateTimeParseException e) {
        err.println("error: --before " + which.before + " is not an RFC 3339 time (e.g. 2026-12-07T09:00:00Z)");
        err.flush();
        return PluginMain.INVALID;
      }
    }
    try (KubernetesClient client = kube.client()) {
      PiStack stack = Kube.stack(client, name);
      String ns = stack.getMetadata().getNamespace();
      RestoreSpec restore = new RestoreSpec();
      restore.force = true;
      String what;
      if (which.before != null) {
        Optional<PiBackup> chosen = RestoreResolver.newestBefore(client.resources(PiBackup.class).list().getItems(),
            name, OffsetDateTime.parse(which.before).toInstant(), false);
        if (chosen.isEmpty()) {
          throw new PluginMain.PluginException("no Completed PiBackup of pistack/" + name + " completed before "
              + which.before + " (kubectl get pibackups)");
        }
        restore.before = which.before;
        what = describe(chosen.get());
      } else {
        PiBackup b = client.resources(PiBackup.class).withName(which.backup).get();
        if (b != null) {
          restore.piBackup = which.backup;
          what = describe(b);
        } else {
          restore.backup = which.backup;
          what = "backup " + which.backup + " on the stack's backup target";
        }
      }
      if (!force) {
        if (!terminal.interactive()) {
          err.println("error: refusing to overwrite the database of pistack/" + name + " without confirmation: the"
              + " input is not a terminal; pass --force (or -y)");
          err.flush();
          return PluginMain.INVALID;
        }
        out.println("This overwrites the database contents and shared files of pistack/" + name + " in namespace "
            + ns + " with " + what + ". The dashboard and scheduler stop until the restore has finished.");
        out.print("Continue? [y/N] ");
        out.flush();
        String answer = terminal.readLine();
        if (answer == null || !(answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"))) {
          out.println("not restored");
          out.flush();
          return PluginMain.FAILED;
        }
      }
      client.resources(PiStack.class).withName(name).edit(s -> {
        s.getSpec().restore = restore;
        return s;
      });
      out.println("pistack.pistack.io/" + name + " restore requested (" + what + "); kubectl pi status " + name);
      out.flush();
      return 0;
    }
  }

  /** "PiBackup x (backup y, completed t): changes since t are lost". */
  static String describe(PiBackup b) {
    var s = b.getStatus();
    String completed = s == null || s.completionTime == null ? "not completed" : "completed " + s.completionTime;
    String since = s == null || s.completionTime == null ? "" : "; every change since " + s.completionTime + " is lost";
    return "PiBackup " + b.getMetadata().getName() + " (" + (s == null || s.backupName == null ? "?" : s.backupName)
        + ", " + completed + ")" + since;
  }
}
