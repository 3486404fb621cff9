package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.chart.Chart;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.release.ReleaseBundle;
import io.pistack.operator.release.Versions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release command on the build `mvn verify` made, and what it produces, checked and installed: {@code
 * release/release.sh X.Y.Z --from-build} (X.Y.Z the pom's version without -SNAPSHOT) makes target/release/X.Y.Z/; its
 * files are the five docs/release.md lists, SHA256SUMS is right, the versions agree (the image archive's name, the
 * chart's version and appVersion, the manifest's image, the SBOM's), and the install is tried as docs/install.md
 * gives it on a real API server of its own, new as a cluster is (no CRD yet): the install manifest with {@code kubectl
 * apply --server-side}, then, once that is removed again (but for its CRD), the packaged chart with helm install. Each time the operator's Deployment becomes Available (kwok runs its pod; the image is the
 * one the archive names, as {@code kind load image-archive} would provide it), and the operator is then run as that
 * pod would run it: a process with the container's environment, as its pod's name, authenticated as its
 * ServiceAccount with a token bound to that pod, so the install's own RBAC is what is tested. The first stack of
 * docs/getting-started.md (samples/small.yaml) must become Ready.
 *
 * <p>Two departures from a pod, because on this tier the pod is kwok's and not a process: the HTTP port is a free
 * one (a pod has its own network), and the active health probes are off (the stack's Services are not reachable
 * from here; GettingStartedOnRealApiTest shows the notice this gives).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseIT {
  static final Path ROOT = Stacks.repoRoot();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration LIMIT = Duration.ofMinutes(4);
  static String version;
  static Path out;
  static RealApiServer api;

  @BeforeAll
  static void release() throws Exception {
    Assumptions.assumeFalse(Boolean.getBoolean("pi.image.skipped"), "image not built (-Djib.skip)");
    Assumptions.assumeFalse("offline=true".equals(System.getProperty("pi.build.offline")),
        "offline build: no SBOM, and release.sh refuses to release without one");
    version = Versions.ofRepo().release();
    out = ROOT.resolve("target/release").resolve(version);
    Path log = Files.createTempFile("release", ".log");
    long start = System.nanoTime();
    Process p = new ProcessBuilder("bash", "release/release.sh", version, "--from-build").directory(ROOT.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = p.waitFor(10, TimeUnit.MINUTES);
    if (!ended) {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    Files.delete(log);
    assertThat(ended && p.exitValue() == 0).as("release/release.sh %s --from-build:%n%s", version, output).isTrue();
    System.out.printf("release.sh %s --from-build: %d s%n", version, (System.nanoTime() - start) / 1_000_000_000);
    api = RealApiServer.startEmpty();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  @Order(1)
  void theReleaseHoldsItsFilesWithRightChecksumsAndOneVersion() throws Exception {
    String image = "pi-operator-image-" + version + ".tar";
    String chart = "pi-operator-" + version + ".tgz";
    String manifest = "pi-operator-" + version + "-install.yaml";
    String sbom = "pi-operator-sbom-" + version + ".json";
    String plugin = "kubectl-pi-" + version + ".tar.gz";
    try (Stream<Path> files = Files.list(out)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder(image, chart, manifest, sbom, plugin, "SHA256SUMS");
    }

    // sha256sum -c SHA256SUMS
    List<String> sums = Files.readAllLines(out.resolve("SHA256SUMS"));
    assertThat(sums).extracting(l -> l.substring(66)).containsExactlyInAnyOrder(image, chart, manifest, sbom, plugin);
    for (String line : sums) {
      assertThat(line.substring(0, 64)).as(line)
          .isEqualTo(OperatorImageIT.sha256(out.resolve(line.substring(66))));
    }

    // One version: the image's name, the chart, the manifest's image; the SBOM and the image's label name the build.
    assertThat(OperatorImageIT.sha256(out.resolve(image))).as("the image is the build's")
        .isEqualTo(OperatorImageIT.sha256(ROOT.resolve("operator/target/pi-operator-image.tar")));
    JsonNode index = JSON.readTree(entry(out.resolve(image), "index.json", false));
    assertThat(index.at("/manifests/0/annotations").toString()).as("the archive's image name")
        .contains("\"org.opencontainers.image.ref.name\":\"pi-operator:" + version + "\"");
    JsonNode chartYaml = YAML.readTree(entry(out.resolve(chart), "pi-operator/Chart.yaml", true));
    assertThat(chartYaml.path("version").asText()).isEqualTo(version);
    assertThat(chartYaml.path("appVersion").asText()).isEqualTo(version);
    Deployment deployment = deployment(Files.readString(out.resolve(manifest)));
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("pi-operator:" + version);
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy())
        .as("a loaded image is used without a registry").isEqualTo("IfNotPresent");
    JsonNode bom = JSON.readTree(out.resolve(sbom).toFile());
    assertThat(bom.path("bomFormat").asText()).isEqualTo("CycloneDX");
    assertThat(bom.at("/metadata/component/version").asText()).isEqualTo(Versions.ofRepo().pom());
    assertThat(bom.path("components").findValuesAsText("name"))
        .contains("kubernetes-client", "operator-framework-core");
  }

  @Test
  @Order(2)
  void theInstallManifestAppliedServerSideRunsTheFirstStack(@TempDir Path dir) throws Exception {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, api.kubeconfig());
    String manifest = Files.readString(out.resolve("pi-operator-" + version + "-install.yaml"));
    try (KubernetesClient admin = api.client()) {
      try {
        // docs/release.md: kubectl apply --server-side -f pi-operator-X.Y.Z-install.yaml
        ProcessBuilder pb = new ProcessBuilder(GettingStartedOnRealApiTest.kubectlDir() + "/kubectl", "apply",
            "--server-side", "-f", out.resolve("pi-operator-" + version + "-install.yaml").toString())
            .redirectErrorStream(true);
        pb.environment().put("KUBECONFIG", kubeconfig.toString());
        Process p = pb.start();
        String applied = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(applied).isZero();
        assertThat(admin.apiextensions().v1().customResourceDefinitions().withName("pistacks.pistack.io").get())
            .as("the CRD, from the manifest").isNotNull();
        runsTheFirstStack(api, admin, deployment(manifest), dir);
      } finally {
        for (HasMetadata o : Chart.parse(manifest)) {
          if (!"CustomResourceDefinition".equals(o.getKind())) { // deleting it would delete every PiStack
            admin.resource(o).delete();
          }
        }
        awaitGone(admin);
      }
    }
  }

  @Test
  @Order(3)
  void theChartInstalledWithHelmRunsTheFirstStack(@TempDir Path dir) throws Exception {
    try (KubernetesClient admin = api.client()) {
      try {
        // docs/release.md: helm install pi-operator pi-operator-X.Y.Z.tgz -n pi-system --create-namespace
        Helm.install(out.resolve("pi-operator-" + version + ".tgz").toString()).withName(ReleaseBundle.RELEASE)
            .withNamespace(ReleaseBundle.NAMESPACE).createNamespace().withKubeConfigContents(api.kubeconfig()).call();
        Deployment installed = admin.apps().deployments().inNamespace(ReleaseBundle.NAMESPACE)
            .withName(ReleaseBundle.RELEASE).get();
        assertThat(installed).as("the chart's Deployment").isNotNull();
        runsTheFirstStack(api, admin, installed, dir);
      } finally {
        Helm.uninstall(ReleaseBundle.RELEASE).withNamespace(ReleaseBundle.NAMESPACE).ignoreNotFound()
            .withKubeConfigContents(api.kubeconfig()).call();
        admin.namespaces().withName(ReleaseBundle.NAMESPACE).delete();
        awaitGone(admin);
      }
    }
  }

  /** The installed Deployment becomes Available, its pod is run as the operator, and the first stack gets Ready. */
  private static void runsTheFirstStack(RealApiServer api, KubernetesClient admin, Deployment d, Path dir)
      throws Exception {
    String ns = ReleaseBundle.NAMESPACE;
    String name = d.getMetadata().getName();
    await().atMost(LIMIT).until(() -> available(admin.apps().deployments().inNamespace(ns).withName(name).get())
        && established(admin));
    Deployment live = admin.apps().deployments().inNamespace(ns).withName(name).get();
    Pod pod = admin.pods().inNamespace(ns).withLabels(live.getSpec().getSelector().getMatchLabels()).list().getItems()
        .stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null).findFirst().orElseThrow();
    Path kubeconfig = dir.resolve("pod-kubeconfig");
    Files.writeString(kubeconfig, asServiceAccount(api, admin, pod));
    Map<String, String> env = containerEnv(live, pod);
    try (FirstStack stack = new FirstStack(admin, "release");
         OperatorProcess operator = OperatorProcess.startedAsAPod(() -> new OperatorProcess(dir, "operator",
             kubeconfig, stack.ns, pod.getMetadata().getName(), env))) {
      stack.apply();
      stack.assertReadyWithin(LIMIT, operator::logText);
      assertThat(operator.logText()).as("it ran as the install's ServiceAccount and found no RBAC gap")
          .doesNotContain("is forbidden");
    }
  }

  /**
   * The container's environment as the kubelet gives it: the values, and the downward API's namespace; the two
   * departures of this tier (see the class comment) on top.
   */
  static Map<String, String> containerEnv(Deployment d, Pod pod) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (e.getValueFrom() == null) {
        env.put(e.getName(), e.getValue() == null ? "" : e.getValue());
      } else {
        assertThat(e.getValueFrom().getFieldRef()).as("%s: only the downward API is expected", e.getName()).isNotNull();
        assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.namespace");
        env.put(e.getName(), pod.getMetadata().getNamespace());
      }
    }
    assertThat(env).containsKeys("PI_OPERATOR_WATCH_NAMESPACES", "PI_OPERATOR_HTTP_PORT", "PI_OPERATOR_PROBE_INTERVAL");
    env.remove("PI_OPERATOR_HTTP_PORT"); // OperatorProcess picks a free port
    env.put("PI_OPERATOR_PROBE_INTERVAL", "off");
    return env;
  }

  /** A kubeconfig with a token of the pod's ServiceAccount, bound to the pod (as the kubelet's projected token). */
  static String asServiceAccount(RealApiServer api, KubernetesClient admin, Pod pod) {
    String sa = pod.getSpec().getServiceAccountName();
    String token = admin.serviceAccounts().inNamespace(pod.getMetadata().getNamespace()).withName(sa)
        .tokenRequest(new TokenRequestBuilder().withNewSpec().withExpirationSeconds(3600L)
            .withNewBoundObjectRef().withApiVersion("v1").withKind("Pod").withName(pod.getMetadata().getName())
            .withUid(pod.getMetadata().getUid()).endBoundObjectRef().endSpec().build())
        .getStatus().getToken();
    var config = admin.getConfiguration();
    return String.join("\n", "apiVersion: v1", "kind: Config",
        "clusters: [{name: realapi, cluster: {server: \"" + config.getMasterUrl() + "\", certificate-authority-data: "
            + config.getCaCertData() + "}}]",
        "users: [{name: " + sa + ", user: {token: " + token + "}}]",
        "contexts: [{name: pod, context: {cluster: realapi, user: " + sa + "}}]",
        "current-context: pod", "");
  }

  private static boolean established(KubernetesClient admin) {
    var crd = admin.apiextensions().v1().customResourceDefinitions().withName("pistacks.pistack.io").get();
    return crd != null && crd.getStatus() != null && crd.getStatus().getConditions().stream()
        .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static boolean available(Deployment d) {
    return d != null && d.getStatus() != null && d.getStatus().getConditions() != null && d.getStatus().getConditions()
        .stream().anyMatch(c -> "Available".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** The install's namespace and cluster-wide RBAC are gone, so that the other install starts clean. */
  private static void awaitGone(KubernetesClient admin) {
    await().atMost(LIMIT).until(() -> admin.namespaces().withName(ReleaseBundle.NAMESPACE).get() == null
        && admin.rbac().clusterRoles().withName(ReleaseBundle.NAMESPACE + "-" + ReleaseBundle.RELEASE).get() == null);
  }

  static Deployment deployment(String manifest) {
    return Chart.parse(manifest).stream().filter(Deployment.class::isInstance)
        .map(Deployment.class::cast).findFirst().orElseThrow();
  }

  /** One file of a tar archive (gzipped or not), read with tar. */
  static byte[] entry(Path archive, String name, boolean gzip) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("tar", gzip ? "-xzOf" : "-xOf", archive.toString(), name).start();
    byte[] bytes = p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).as("%s in %s", name, archive).isZero();
    return bytes;
  }
}
