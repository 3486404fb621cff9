package io.pistack.operator.plugin;

import io.pistack.operator.cli.Main;
import io.pistack.operator.cli.RenderCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code kubectl pi}: the kubectl plugin. plugin/kubectl-pi runs this class from the operator's jar. Exit codes: 0
 * done; 1 the cluster refused or lacks what was asked (the reason on stderr, as kubectl words it); 2 a usage error
 * or an invalid file.
 */
@Command(name = "kubectl pi", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Day-two commands for Panintelligence stacks (PiStack objects).",
    subcommands = {StatusCommand.class, ReportCommand.class, BackupCommand.class, RestoreCommand.class,
        HibernateCommand.class,
        RenderCommand.class, ValidateCommand.class})
public class PluginMain {
  public static final int FAILED = 1;
  public static final int INVALID = 2;

  public static void main(String[] args) {
    if (System.getenv("PI_OPERATOR_LOG_LEVEL") == null) {
      // A command's output is its own: the client's informational logging stays out of the user's terminal.
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
          .setLevel(ch.qos.logback.classic.Level.WARN);
      // fabric8's note that v1alpha1 is unstable is for the operator's log, not for a user's command.
      ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
          "io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils")).setLevel(ch.qos.logback.classic.Level.ERROR);
    }
    System.exit(commandLine().execute(args));
  }

  /** The plugin's command line, with its error handler: a sentence on stderr, never a stack trace. */
  public static CommandLine commandLine() {
    return new CommandLine(new PluginMain()).setParameterExceptionHandler((ex, args) -> {
      // As kubectl: the problem, then where help is.
      CommandLine cmd = ex.getCommandLine();
      cmd.getErr().println("error: " + ex.getMessage());
      cmd.getErr().println("See '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
      cmd.getErr().flush();
      return INVALID;
    }).setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + Kube.message(e));
      cmd.getErr().flush();
      return FAILED;
    });
  }

  /** A failure the plugin words itself (exit 1). */
  public static class PluginException extends RuntimeException {
    public PluginException(String message) {
      super(message);
    }
  }
}
