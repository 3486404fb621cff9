package io.pistack.operator.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "version", description = "Print the operator's version.")
public class VersionCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  public static String version() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  @Override
  public Integer call() {
    spec.commandLine().getOut().println("pi-operator " + version());
    return 0;
  }
}
