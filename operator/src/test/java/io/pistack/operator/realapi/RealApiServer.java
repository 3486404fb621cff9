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
 * realapi/build.sh made, and stopped when the JVM exits. The CRD from crds/ is installed, and the Gateway API's
 * standard-channel CRDs (GatewayApiCrds).
 */
public final class RealApiServer {
  private static RealApiServer instance;
  private static RuntimeException failure;

  private final Path state;
  private final String kubeconfig;
  /** The command lines of the processes {@link #stopApiServer} stopped, by name. */
  private final java.util.Map<String, java.util.List<String>> stopped = new java.util.HashMap<>();

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

  /**
   * A control plane of its own, of another Kubernetes version that realapi/build.sh built: {@code module} is its Go
   * module's directory under realapi/ ({@code "k8s-1.30"}). The CRD is installed; stop it with {@link #close()}.
   */
  static RealApiServer startVersion(String module) {
    return start(java.util.Map.of("REALAPI_K8S_MODULE", module), true);
  }

  /**
   * A control plane of its own with nothing installed, as a new cluster is (the shared one has the CRD, applied by
   * this client's field manager); stop it with {@link #close()}.
   */
  static RealApiServer startEmpty() {
    return start(java.util.Map.of(), false);
  }

  /** Stops a control plane {@link #startVersion} started (the shared one stops when the JVM exits). */
  void close() {
    stop();
  }

  private static RealApiServer start() {
    return start(java.util.Map.of(), true);
  }

  private static RealApiServer start(java.util.Map<String, String> env, boolean withCrd) {
    Path root = Stacks.repoRoot();
    RealApiBuild.await(env.getOrDefault("REALAPI_K8S_MODULE", "."));
    try {
      // Under the build directory, not /tmp: the logs stay for a failed run to read, and `mvn clean` removes them.
      Path state = Files.createTempDirectory(Files.createDirectories(root.resolve("operator/target/realapi-state")),
          "realapi");
      ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("realapi/start.sh").toString())
          .redirectErrorStream(true)
          .redirectOutput(state.resolveSibling(state.getFileName() + "-start.log").toFile());
      pb.environment().put("REALAPI_STATE", state.toString());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        String log = Files.readString(state.resolveSibling(state.getFileName() + "-start.log"));
        throw new IllegalStateException("realapi/start.sh failed (the binaries come from `bash realapi/build.sh`,"
            + " which .ci/run runs):\n" + log);
      }
      String kubeconfig = Files.readString(state.resolve("kubeconfig"));
      RealApiServer server = new RealApiServer(state, kubeconfig);
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "realapi-stop"));
      if (withCrd) {
        server.installCrd();
        if (!env.containsKey("REALAPI_K8S_MODULE")) {
          try (KubernetesClient c = server.client()) {
            GatewayApiCrds.install(c); // as a current cluster has them (the oldest version's control plane does not)
          }
        }
      }
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void installCrd() throws IOException {
    installCrd("crds/pistacks.pistack.io-v1.yml");
    installCrd("crds/pibackups.pistack.io-v1.yml");
  }

  void installCrd(String file) throws IOException {
    try (KubernetesClient c = client()) {
      CustomResourceDefinition crd = Serialization.unmarshal(
          Files.readString(Stacks.repoRoot().resolve(file)), CustomResourceDefinition.class);
      c.resource(crd).serverSideApply();
      awaitEstablished(c, crd.getMetadata().getName());
      awaitDiscovered(c, crd);
    }
  }

  /**
   * Waits until API discovery lists the CRD's kind. The API server updates discovery a moment after it marks a CRD
   * Established; an operator started in between finds its kind "not served" (MissingCrdOnRealApiTest failed once in
   * a clean-clone run: pistacks reported missing right after its CRD was Established).
   */
  static void awaitDiscovered(KubernetesClient c, CustomResourceDefinition crd) {
    String plural = crd.getSpec().getNames().getPlural();
    for (var version : crd.getSpec().getVersions()) {
      if (!Boolean.TRUE.equals(version.getServed())) {
        continue;
      }
      String groupVersion = crd.getSpec().getGroup() + "/" + version.getName();
      org.awaitility.Awaitility.await().atMost(60, TimeUnit.SECONDS).ignoreExceptions().until(() -> {
        var served = c.getApiResources(groupVersion);
        return served != null && served.getResources() != null
            && served.getResources().stream().anyMatch(r -> plural.equals(r.getName()));
      });
    }
  }

  /** Waits until the API server serves the CRD {@code name} (its Established condition). */
  static void awaitEstablished(KubernetesClient c, String name) {
    c.apiextensions().v1().customResourceDefinitions().withName(name)
        .waitUntilCondition(d -> d != null && d.getStatus() != null && d.getStatus().getConditions() != null
            && d.getStatus().getConditions().stream()
            .anyMatch(cond -> "Established".equals(cond.getType()) && "True".equals(cond.getStatus())),
            60, TimeUnit.SECONDS);
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

  /**
   * Pauses (SIGSTOP) or resumes (SIGCONT) kube-controller-manager: while paused its controllers record nothing, so
   * the API server holds what they have not seen yet, as on a loaded machine. It runs without leader election, so a
   * pause of seconds costs it nothing. Every test of this JVM shares it: resume it in a finally block.
   */
  public synchronized void pauseControllers(boolean paused) {
    long pid = pid("kube-controller-manager");
    try {
      int code = new ProcessBuilder("kill", paused ? "-STOP" : "-CONT", String.valueOf(pid)).inheritIO().start()
          .waitFor();
      if (code != 0) {
        throw new IllegalStateException("kill " + (paused ? "-STOP " : "-CONT ") + pid + " exited " + code);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Kills etcd and kube-apiserver (SIGKILL: a crash, every connection drops at once; a SIGTERM'd
   * kube-apiserver drains its watches for up to 30 s) and waits for both to exit, keeping their state:
   * the controllers and kwok keep running and reconnect after {@link #startApiServer}. Every
   * test of this JVM shares the server: start it again in a finally block.
   */
  public synchronized void stopApiServer() {
    for (String name : java.util.List.of("kube-apiserver", "etcd")) {
      long pid = pid(name);
      try {
        stopped.put(name, java.util.List.of(
            new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")),
                java.nio.charset.StandardCharsets.UTF_8).split("\0")));
      } catch (IOException e) {
        throw new UncheckedIOException(name + " (pid " + pid + ") is not running", e);
      }
      ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
      h.destroyForcibly();
      try {
        h.onExit().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(name + " (pid " + pid + ") did not exit after SIGKILL", e);
      }
    }
  }

  /**
   * Starts etcd and kube-apiserver again as {@link #stopApiServer} found them (same command line,
   * ports, certificates and etcd data), and waits until the API server serves from etcd again. Returns how long
   * that took.
   */
  public synchronized Duration startApiServer() {
    long begin = System.nanoTime();
    try {
      for (String name : java.util.List.of("etcd", "kube-apiserver")) {
        java.util.List<String> argv = stopped.remove(name);
        if (argv == null) {
          continue;
        }
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(argv);
        Process p = new ProcessBuilder(cmd).directory(state.toFile()).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(state.resolve(name + ".log").toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Path pids = state.resolve("pids");
        java.util.List<String> lines = new java.util.ArrayList<>(Files.readAllLines(pids).stream()
            .filter(l -> !l.startsWith(name + " ")).toList());
        lines.add(name + " " + p.pid());
        Files.write(pids, lines);
      }
      try (KubernetesClient c = client()) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (true) {
          try {
            if (c.namespaces().withName("default").get() != null) {
              break;
            }
          } catch (RuntimeException e) {
            // not up yet
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("kube-apiserver did not come back within 90 s; logs in " + state);
          }
          Thread.sleep(100);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return Duration.ofNanos(System.nanoTime() - begin);
  }

  private long pid(String name) {
    try {
      return Files.readAllLines(state.resolve("pids")).stream().filter(l -> l.startsWith(name + " "))
          .map(l -> Long.parseLong(l.substring(name.length() + 1).trim())).reduce((x, y) -> y).orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Duration timeout() {
    return Duration.ofSeconds(120);
  }
}
