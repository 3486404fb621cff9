package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image the build made (target/pi-operator-image.tar, OCI, by Jib on image/build-base.sh's
 * base), run as a container runtime would run it, without one: its layers unpacked into a root
 * filesystem, mounted read-only in a private mount namespace with a tmpfs on /tmp (as the chart
 * mounts an emptyDir there), and its entrypoint and command from the image config exec'd under
 * chroot as uid 65532. It must become ready against the real API server and reconcile a PiStack.
 * Needs root (unshare, mount, chroot); CI runs as root.
 */
class OperatorImageIT {
  static final Path TARGET = Stacks.repoRoot().resolve("operator/target");
  static final ObjectMapper JSON = new ObjectMapper();
  static Path image;

  @BeforeAll
  static void image() {
    Assumptions.assumeFalse(Boolean.getBoolean("pi.image.skipped"), "image not built (-Djib.skip)");
    image = TARGET.resolve("pi-operator-image.tar");
    assertThat(image).as("built by `mvn package`").exists();
  }

  @Test
  void theImageRunsAsNonRootOnAReadOnlyRootAndBecomesReadyAgainstTheRealApiServer() throws Exception {
    Path work = Files.createTempDirectory("pi-image");
    Path oci = work.resolve("oci");
    Path rootfs = work.resolve("rootfs");
    Files.createDirectories(oci);
    Files.createDirectories(rootfs);
    run(List.of("tar", "-xf", image.toString(), "-C", oci.toString()));

    JsonNode index = JSON.readTree(oci.resolve("index.json").toFile());
    JsonNode manifest = JSON.readTree(blob(oci, index.at("/manifests/0/digest").asText()).toFile());
    JsonNode config = JSON.readTree(blob(oci, manifest.at("/config/digest").asText()).toFile()).path("config");
    assertThat(config.path("User").asText()).isEqualTo("65532:65532");
    assertThat(config.path("Labels").path("org.opencontainers.image.title").asText()).isEqualTo("pi-operator");
    for (JsonNode layer : manifest.path("layers")) {
      run(List.of("tar", "-xzf", blob(oci, layer.path("digest").asText()).toString(), "-C", rootfs.toString()));
    }
    assertThat(rootfs.resolve("usr/bin/java")).as("the base's Java").exists();
    assertThat(rootfs.resolve("bin/sh")).as("no shell in the image").doesNotExist();
    try (Stream<Path> libs = Files.list(rootfs.resolve("app/libs"))) {
      List<String> names = libs.map(p -> p.getFileName().toString()).toList();
      assertThat(names).as("one jar per library").doesNotHaveDuplicates()
          .anyMatch(n -> n.startsWith("jackson-databind-")).anyMatch(n -> n.startsWith("kubernetes-client-7"));
    }
    // Mount points a container runtime provides.
    Files.createDirectories(rootfs.resolve("proc"));
    Files.createDirectories(rootfs.resolve("dev"));

    List<String> argv = new ArrayList<>();
    config.path("Entrypoint").forEach(n -> argv.add(n.asText()));
    config.path("Cmd").forEach(n -> argv.add(n.asText()));
    assertThat(argv).startsWith("java").endsWith("io.pistack.operator.cli.Main", "run");

    RealApiServer api = RealApiServer.get();
    String ns = "image-" + System.nanoTime() % 100000;
    int port = freePort();
    Path kubeconfig = work.resolve("kubeconfig");
    Files.writeString(kubeconfig, api.kubeconfig());
    Path log = work.resolve("operator.log");

    String script = String.join("\n",
        "set -e",
        "r=\"$1\"; shift",
        "mount --make-rprivate /",
        "mount --bind \"$r\" \"$r\"",
        "mount -o remount,bind,ro \"$r\"",
        "if touch \"$r/.rw-probe\" 2>/dev/null; then echo 'root is writable' >&2; exit 3; fi",
        "mount -t proc proc \"$r/proc\"",
        "mount --rbind /dev \"$r/dev\"",
        "mount -t tmpfs -o mode=1777,size=64m tmpfs \"$r/tmp\"",
        "install -m 0444 \"$KUBECONFIG_SOURCE\" \"$r/tmp/kubeconfig\"",
        "unset KUBECONFIG_SOURCE",
        "cd \"$r\"",
        "exec chroot --userspec=65532:65532 \"$r\" \"$@\"");
    List<String> command = new ArrayList<>(List.of("unshare", "--mount", "--fork", "--", "sh", "-c", script, "sh",
        rootfs.toString()));
    command.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.clear();
    config.path("Env").forEach(n -> {
      String[] kv = n.asText().split("=", 2);
      env.put(kv[0], kv[1]);
    });
    env.put("KUBECONFIG_SOURCE", kubeconfig.toString());
    env.put("KUBECONFIG", "/tmp/kubeconfig");
    env.put("PI_OPERATOR_HTTP_PORT", Integer.toString(port));
    env.put("PI_OPERATOR_WATCH_NAMESPACES", ns);
    env.put("PI_OPERATOR_PROBE_INTERVAL", "off");
    // Every process of the container inherits it: the JVM is found and stopped by it even when unshare is gone.
    String marker = "PI_IMAGE_IT_RUN=" + java.util.UUID.randomUUID();
    env.put(marker.substring(0, marker.indexOf('=')), marker.substring(marker.indexOf('=') + 1));

    try (KubernetesClient admin = api.client()) {
      admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
      Stacks.licenceSecret(admin, ns);
      long start = System.nanoTime();
      Process p = pb.start();
      try {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest readyz = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
            .timeout(Duration.ofSeconds(2)).build();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
            .failFast(() -> assertThat(p.isAlive()).as(() -> "the container exited:\n" + tail(log)).isTrue())
            .until(() -> http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        long readyMillis = (System.nanoTime() - start) / 1_000_000;

        ProcessHandle java = p.toHandle().descendants()
            .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false)).findFirst().orElseThrow();
        assertThat(uids(java.pid())).as("real, effective, saved and fs uid of the JVM").containsOnly("65532");

        // It reconciles: the PiStack gets a status from the operator in the image.
        admin.resource(Stacks.sample("minimal.yaml", ns)).create();
        await().atMost(RealApiServer.timeout()).failFast(() -> assertThat(p.isAlive()).as(() -> "the container exited:\n" + tail(log)).isTrue())
            .until(() -> {
              PiStack s = admin.resources(PiStack.class).inNamespace(ns).withName("pi").get();
              return s.getStatus() != null && s.getStatus().conditions != null && !s.getStatus().conditions.isEmpty();
            });
        assertThat(admin.secrets().inNamespace(ns).withName("pi-db-credentials").get()).isNotNull();
        System.out.printf("image: ready %d ms after exec%n", readyMillis);
      } finally {
        stopAll(marker);
        admin.namespaces().withName(ns).delete();
      }
      assertThat(carrying(marker)).as("a process the test started is still running").isEmpty();
      assertThat(p.isAlive()).isFalse();
      String output = Files.readString(log);
      assertThat(output).contains("pi-operator started").doesNotContain("NoClassDefFoundError")
          .doesNotContain("UnsatisfiedLinkError").doesNotContain("Read-only file system");
    } finally {
      run(List.of("rm", "-rf", work.toString()));
    }
  }

  /** The base is reproducible: assembled again, it is the same bytes. */
  @Test
  void theBaseAssembledAgainIsByteForByteTheSame() throws Exception {
    Path again = Files.createTempDirectory("pi-base");
    try {
      run(List.of("bash", Stacks.repoRoot().resolve("image/build-base.sh").toString(), again.toString()));
      assertThat(sha256(again.resolve("base.tar"))).isEqualTo(sha256(TARGET.resolve("image-base/base.tar")));
    } finally {
      run(List.of("rm", "-rf", again.toString()));
    }
  }

  /**
   * Stops every process carrying {@code marker} in its environment: unshare (which ignores SIGTERM while it waits for
   * its child) and the JVM under it (SIGTERM first, for the operator's own shutdown; SIGKILL after 30 s). Killing
   * unshare alone leaves the JVM running: the parent-death signal of unshare --kill-child does not survive chroot's
   * change of user.
   */
  static void stopAll(String marker) throws InterruptedException {
    List<ProcessHandle> ours = carrying(marker);
    ours.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : ours) {
      try {
        h.onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        System.out.printf("image: pid %d did not end on SIGTERM within 30 s: SIGKILL%n", h.pid());
      }
    }
    for (ProcessHandle h : carrying(marker)) {
      h.destroyForcibly();
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // asserted by the caller
      }
    }
  }

  /** The live processes whose environment holds {@code marker} (NAME=value), read from /proc (needs root). */
  static List<ProcessHandle> carrying(String marker) {
    return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(h -> {
      try {
        return List.of(Files.readString(Path.of("/proc/" + h.pid() + "/environ"),
            java.nio.charset.StandardCharsets.ISO_8859_1).split("\0")).contains(marker);
      } catch (IOException | RuntimeException e) {
        return false; // gone meanwhile, or not readable
      }
    }).toList();
  }

  private static List<String> uids(long pid) throws IOException {
    Optional<String> line = Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream()
        .filter(l -> l.startsWith("Uid:")).findFirst();
    return List.of(line.orElseThrow().substring(4).trim().split("\\s+"));
  }

  private static Path blob(Path oci, String digest) {
    return oci.resolve("blobs").resolve(digest.replace(':', '/'));
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s:%n%s", command, out).isZero();
  }

  private static String tail(Path log) {
    try {
      String s = Files.readString(log);
      return s.substring(Math.max(0, s.length() - 4000));
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** The file's SHA-256, in hex as sha256sum prints it. */
  static String sha256(Path file) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
