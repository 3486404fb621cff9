package io.pistack.operator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "pi-operator", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Kubernetes operator for the Panintelligence analytics stack.",
    subcommands = {RunCommand.class, RenderCommand.class, VersionCommand.class})
public class Main {
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main())
        // A failure is a sentence on stderr, never a stack trace.
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("error: " + Messages.plain(e));
          return 1;
        })
        .execute(args));
  }

  public static class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"pi-operator " + VersionCommand.version()};
    }
  }
}
