package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.api.model.Condition;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import io.pistack.operator.status.Reason;
import io.pistack.operator.status.StatusAggregator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Getting started (docs/getting-started.md, README's first link), run as written from "a laptop": every
 * command of the shell
 * block of its "Install, create the stack, wait for Ready" runs in bash with kubectl against the real API server, in a directory that looks like the
 * repository (crds/, samples/) with a licence.xml; {@code java -jar … run} is the operator's CLI main
 * in a child JVM with only a kubeconfig (no KUBERNETES_SERVICE_HOST, no PI_OPERATOR_PROBE_INTERVAL),
 * as it runs from a laptop. The stack must reach Ready ({@code kubectl wait} exits 0).
 *
 * <p>What a real cluster would add and this tier stands in for: the default storage class (a volume
 * bound in advance to each claim the sample makes) and the kubelet (kwok). Two departures, both for
 * the shared test API server: the kubeconfig's current namespace is the test's own, and the
 * operator watches only it.
 */
class GettingStartedOnRealApiTest {
  static final Duration T = RealApiStack.T;
  @TempDir
  Path dir;
  KubernetesClient admin;
  String ns;
  OperatorProcess operator;
  final List<String> volumes = new ArrayList<>();

  @AfterEach
  void stop() {
    if (operator != null) {
      operator.close();
    }
    if (admin != null && ns != null) {
      admin.namespaces().withName(ns).delete();
      volumes.forEach(v -> admin.persistentVolumes().withName(v).delete());
    }
  }

  @Test
  void theReadmesFirstStackBecomesReadyWithTheOperatorRunFromALaptop() throws Exception {
    RealApiServer api = RealApiServer.get();
    admin = api.client();
    ns = "getting-started-" + System.nanoTime() % 100000;
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Path root = Stacks.repoRoot();
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, api.kubeconfig());
    Files.createSymbolicLink(dir.resolve("crds"), root.resolve("crds"));
    Files.createSymbolicLink(dir.resolve("samples"), root.resolve("samples"));
    Files.writeString(dir.resolve("licence.xml"), "<licence>\n  <key>test</key>\n</licence>\n");
    // The cluster's default storage: a volume for each claim samples/small.yaml makes (ReadWriteOnce).
    volumes.add(RealApiStack.volume(admin, ns, "pi-shared", "5Gi", "ReadWriteOnce"));
    volumes.add(RealApiStack.volume(admin, ns, "data-pi-db-0", "5Gi", "ReadWriteOnce"));
    Map<String, String> env = new HashMap<>(Map.of("KUBECONFIG", kubeconfig.toString(),
        "GITHUB_USER", "someone", "GITHUB_TOKEN", "not-a-token"));
    assertThat(run(env, "kubectl config set-context --current --namespace=" + ns, T).code()).isZero();

    List<String> commands = readmeCommands(root);
    assertThat(commands).as("docs/getting-started.md's first block").anyMatch(c -> c.contains("pi-operator.jar run"))
        .anyMatch(c -> c.startsWith("kubectl apply -f samples/small.yaml"))
        .last().asString().startsWith("kubectl wait --for=condition=Ready pistack/pi");
    for (String command : commands) {
      if (command.contains("pi-operator.jar run")) {
        Map<String, String> laptop = new HashMap<>();
        laptop.put("KUBERNETES_SERVICE_HOST", null); // not in a pod
        laptop.put("KUBERNETES_SERVICE_PORT", null);
        laptop.put("PI_OPERATOR_PROBE_INTERVAL", null); // Getting started sets none
        operator = new OperatorProcess(dir.resolve("pi-operator.log"), kubeconfig, ns, "laptop", laptop);
        continue;
      }
      Result r = run(env, command, command.startsWith("kubectl wait") ? Duration.ofMinutes(4) : T);
      assertThat(r.code()).as(command + "\n" + r.output() + "\noperator log:\n"
          + (operator == null ? "(not started)" : operator.logText())).isZero();
    }

    PiStack stack = admin.resources(PiStack.class).inNamespace(ns).withName("pi").get();
    Condition ready = Conditions.find(stack.getStatus().conditions, ConditionType.READY.wire());
    assertThat(ready.getReason()).isEqualTo(Reason.ALL_COMPONENTS_READY.wire());
    assertThat(ready.getMessage()).isEqualTo(StatusAggregator.ALL_READY_UNPROBED);
    assertThat(operator.logText()).contains("running outside a cluster")
        .contains("health is judged from pod readiness only");
    assertThat(stack.getStatus().warnings).singleElement().asString().startsWith("spec.storage.accessModes: ReadWriteOnce");
  }

  /**
   * The first ```sh block of docs/getting-started.md's "Install, create the stack, wait for Ready", one command a
   * line (end-of-line comments dropped).
   */
  static List<String> readmeCommands(Path root) throws IOException {
    String page = Files.readString(root.resolve("docs/getting-started.md"));
    String section = page.substring(page.indexOf("## 2. Install, create the stack, wait for Ready"));
    int open = section.indexOf("```sh\n") + "```sh\n".length();
    String block = section.substring(open, section.indexOf("```", open));
    return block.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  record Result(int code, String output) {}

  /** {@code bash -c command} in the work directory, the real API server's kubectl first on the PATH. */
  Result run(Map<String, String> env, String command, Duration limit) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "command", ".out");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", command).directory(dir.toFile())
        .redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().putAll(env);
    pb.environment().put("PATH", kubectlDir() + ":" + System.getenv("PATH"));
    Process p = pb.start();
    boolean ended = p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    return ended ? new Result(p.exitValue(), text) : new Result(-1, text + "\n(timed out)");
  }

  private static String kubectlDir() throws IOException {
    Path k8s = Path.of(System.getenv().getOrDefault("KUBE_API_TEST_DIR",
        System.getProperty("user.home") + "/.kubeapitest"), "k8s");
    try (var dirs = Files.list(k8s)) {
      return dirs.filter(d -> Files.isExecutable(d.resolve("kubectl"))).map(Path::toString).sorted()
          .reduce((a, b) -> b).orElse("/usr/bin");
    }
  }
}
