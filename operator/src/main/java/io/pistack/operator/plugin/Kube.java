package io.pistack.operator.plugin;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.cli.Messages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The flags kubectl gives every plugin user: {@code --kubeconfig}, {@code --context}, {@code -n/--namespace}. Without
 * them the current kubeconfig ($KUBECONFIG, else ~/.kube/config) and its current context and namespace, as kubectl.
 */
public class Kube {
  @Option(names = "--kubeconfig", description = "Path to the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config).")
  String kubeconfig;

  @Option(names = "--context", description = "The kubeconfig context to use (default: its current context).")
  String context;

  @Option(names = {"-n", "--namespace"}, description = "The namespace (default: the context's, else default).")
  String namespace;

  Config config() {
    if (kubeconfig == null) {
      return Config.autoConfigure(context);
    }
    try {
      return Config.fromKubeconfig(context, Files.readString(Path.of(kubeconfig)), kubeconfig);
    } catch (IOException e) {
      throw new PluginMain.PluginException("cannot read kubeconfig " + kubeconfig + ": " + Messages.plain(e));
    }
  }

  /** A client for the chosen cluster; its namespace is {@link #namespace(Config)}. */
  KubernetesClient client() {
    Config config = config();
    config.setNamespace(namespace(config));
    // As kubectl: one answer, not a minute of retries against a server that is not there.
    config.setRequestRetryBackoffLimit(1);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  String namespace(Config config) {
    if (namespace != null) {
      return namespace;
    }
    return config.getNamespace() == null ? "default" : config.getNamespace();
  }

  /** The stack, or kubectl's NotFound sentence as a failure. */
  static PiStack stack(KubernetesClient client, String name) {
    PiStack stack = client.resources(PiStack.class).withName(name).get();
    if (stack == null) {
      throw new PluginMain.PluginException("pistacks.pistack.io \"" + name + "\" not found");
    }
    return stack;
  }

  /** An exception as kubectl would word it: the API server's own message when it gave one. */
  static String message(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    if (e instanceof KubernetesClientException && root instanceof IOException) {
      // Not an answer from the API server: it could not be reached (kubectl: "Unable to connect to the server").
      return "unable to connect to the server: " + Messages.plain(root);
    }
    if (e instanceof KubernetesClientException k && k.getStatus() != null && k.getStatus().getMessage() != null) {
      return k.getStatus().getMessage();
    }
    if (e instanceof UncheckedIOException u) {
      return Messages.plain(u.getCause());
    }
    return e instanceof PluginMain.PluginException ? e.getMessage() : Messages.plain(e);
  }
}
