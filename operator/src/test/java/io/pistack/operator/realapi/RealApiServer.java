package io.pistack.operator.realapi;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real control plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok as
 * the kubelet) on 127.0.0.1, started once per test JVM with realapi/start.sh from the binaries
 * realapi/build.sh made, and stopped when the JVM exits. The CRD from crds/ is installed.
 */
public final class RealApiServer {
  private static RealApiServer instance;
  private static RuntimeException failure;

  private final Path state;
  private final String kubeconfig;

  private RealApiServer(Path state, String kubeconfig) {
    this.state = state;
    this.kubeconfig = kubeconfig;
  }

  /** The shared control plane; a failed start is reported to every test, not retried by each. */
  public static synchronized RealApiServer get() {
    if (failure != null) {
      throw failure;
    }
    if (instance == null) {
      try {
        instance = start();
      } catch (RuntimeException e) {
        failure = e;
        throw e;
      }
    }
    return instance;
  }

  /** A new client with the admin credentials (system:masters). */
  public KubernetesClient client() {
    return client(new KubernetesClientBuilder());
  }

  /** The admin kubeconfig (client certificate embedded), for a process outside this JVM. */
  String kubeconfig() {
    return kubeconfig;
  }

  /** The control plane's certificates and keys (realapi/start.sh: ca, apiserver, admin). */
  Path pki() {
    return state.resolve("pki");
  }

  public KubernetesClient client(KubernetesClientBuilder builder) {
    return builder.withConfig(Config.fromKubeconfig(kubeconfig)).build();
  }

  private static RealApiServer start() {
    Path root = Stacks.repoRoot();
    try {
      Path state = Files.createTempDirectory("realapi");
      ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("realapi/start.sh").toString())
          .redirectErrorStream(true)
          .redirectOutput(state.resolveSibling(state.getFileName() + "-start.log").toFile());
      pb.environment().put("REALAPI_STATE", state.toString());
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        String log = Files.readString(state.resolveSibling(state.getFileName() + "-start.log"));
        throw new IllegalStateException("realapi/start.sh failed (the binaries come from `bash realapi/build.sh`,"
            + " which .ci/run runs):\n" + log);
      }
      String kubeconfig = Files.readString(state.resolve("kubeconfig"));
      RealApiServer server = new RealApiServer(state, kubeconfig);
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "realapi-stop"));
      server.installCrd();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void installCrd() throws IOException {
    try (KubernetesClient c = client()) {
      CustomResourceDefinition crd = Serialization.unmarshal(
          Files.readString(Stacks.repoRoot().resolve("crds/pistacks.pistack.io-v1.yml")), CustomResourceDefinition.class);
      c.resource(crd).serverSideApply();
      c.apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
          .waitUntilCondition(d -> d != null && d.getStatus() != null && d.getStatus().getConditions() != null
              && d.getStatus().getConditions().stream()
              .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
              60, TimeUnit.SECONDS);
    }
  }

  private void stop() {
    try {
      ProcessBuilder pb = new ProcessBuilder("bash", Stacks.repoRoot().resolve("realapi/stop.sh").toString())
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("REALAPI_STATE", state.toString());
      pb.start().waitFor(30, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      // best effort at JVM exit
    }
  }

  public static Duration timeout() {
    return Duration.ofSeconds(120);
  }
}
