package io.pistack.operator.plugin;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kubectl pi status <stack>}: one screen of the stack's status, read-only (get on pistacks). */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Show a stack's conditions, components, database, backups, the current upgrade or restore step"
        + " and its URL.")
public class StatusCommand implements Callable<Integer> {
  @Mixin
  Kube kube;

  @Parameters(index = "0", paramLabel = "STACK", description = "The PiStack's name.")
  String name;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "yaml or json: the PiStack as the API has it.")
  String output;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws java.io.IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (output != null && !output.equals("yaml") && !output.equals("json")) {
      spec.commandLine().getErr().println("error: unable to match a printer suitable for the output format \""
          + output + "\", allowed formats are: json,yaml");
      spec.commandLine().getErr().flush();
      return PluginMain.INVALID;
    }
    try (KubernetesClient client = kube.client()) {
      PiStack stack = Kube.stack(client, name);
      if ("yaml".equals(output)) {
        out.print(Serialization.asYaml(stack));
      } else if ("json".equals(output)) {
        out.println(Serialization.jsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(stack));
      } else {
        out.print(StatusText.of(stack));
      }
      out.flush();
      return 0;
    }
  }
}
