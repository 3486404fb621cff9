package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The private CA trust store: wired into the dashboard and scheduler only, and built for real by
 * running the init container's script with this JDK's keytool against freshly made CAs.
 */
class TrustStoreBuilderTest {
  static final String SPEC = "  version: \"1\"\n  trust:\n    configMapName: corporate-ca\n    key: bundle.pem\n";
  @TempDir
  Path dir;

  @Test
  void theDashboardAndSchedulerBuildAndReadTheStore() {
    ResolvedStack stack = TestStacks.resolved(SPEC);
    for (Component c : List.of(Component.DASHBOARD, Component.SCHEDULER)) {
      var pod = DeploymentBuilder.build(stack, c).getSpec().getTemplate().getSpec();
      assertThat(pod.getInitContainers()).extracting(Container::getName).containsExactly("pi-trust-store");
      assertThat(pod.getInitContainers().get(0).getImage()).isEqualTo(TrustStoreBuilder.DEFAULT_IMAGE);
      Volume bundle = pod.getVolumes().stream().filter(v -> v.getName().equals("pi-ca-bundle")).findFirst().orElseThrow();
      assertThat(bundle.getConfigMap().getName()).isEqualTo("corporate-ca");
      assertThat(bundle.getConfigMap().getItems()).singleElement()
          .satisfies(i -> assertThat(i.getKey() + ">" + i.getPath()).isEqualTo("bundle.pem>ca.crt"));
      var main = pod.getContainers().get(0);
      assertThat(main.getEnv()).filteredOn(e -> e.getName().equals("JAVA_TOOL_OPTIONS")).singleElement()
          .extracting(EnvVar::getValue).asString().contains("-Djavax.net.ssl.trustStore=" + TrustStoreBuilder.STORE);
      assertThat(main.getVolumeMounts()).anySatisfy(m -> {
        assertThat(m.getMountPath()).isEqualTo("/pi/trust-store");
        assertThat(m.getReadOnly()).isTrue();
      });
    }
    for (Component c : List.of(Component.RENDERER, Component.ANALYTICS, Component.EXCEL_READER)) {
      var pod = DeploymentBuilder.build(stack, c).getSpec().getTemplate().getSpec();
      assertThat(pod.getInitContainers()).isEmpty();
      assertThat(pod.getContainers().get(0).getEnv()).noneMatch(e -> e.getName().equals("JAVA_TOOL_OPTIONS"));
    }
  }

  @Test
  void aSecretWorksTooAndWithoutTrustNothingChanges() {
    ResolvedStack fromSecret = TestStacks.resolved("  version: \"1\"\n  trust:\n    secretName: ca\n");
    assertThat(TrustStoreBuilder.volumes(fromSecret).get(0).getSecret().getSecretName()).isEqualTo("ca");
    assertThat(TrustStoreBuilder.volumes(fromSecret).get(0).getSecret().getItems().get(0).getKey()).isEqualTo("ca.crt");
    var pod = DeploymentBuilder.build(TestStacks.resolved(TestStacks.minimal()), Component.DASHBOARD)
        .getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers()).isEmpty();
  }

  @Test
  void theScriptBuildsATrustStoreThatTrustsTheBundlesCasAndThePublicOnes() throws Exception {
    X509Certificate ca1 = newCa("ca1");
    X509Certificate ca2 = newCa("ca2");
    X509Certificate leaf = signedBy("ca1", "server.corp.example");
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(bundle, Files.readString(dir.resolve("ca1.pem")) + Files.readString(dir.resolve("ca2.pem")));
    Path store = dir.resolve("out/truststore.p12");
    Files.createDirectories(store.getParent());

    Result r = runScript(bundle, store);
    assertThat(r.exit).as(r.output).isZero();
    assertThat(r.output).contains("trusted pi-ca-1", "trusted pi-ca-2");

    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, TrustStoreBuilder.PASSWORD.toCharArray());
    }
    assertThat(ks.getCertificate("pi-ca-1")).isEqualTo(ca1);
    assertThat(ks.getCertificate("pi-ca-2")).isEqualTo(ca2);
    assertThat(ks.isCertificateEntry("pi-ca-1")).isTrue();
    assertThat(Collections.list(ks.aliases())).as("the JRE's public CAs are kept").hasSizeGreaterThan(10);

    X509Certificate[] chain = {leaf, ca1};
    trustManager(ks).checkServerTrusted(chain, "RSA");
    assertThatThrownBy(() -> trustManager(null).checkServerTrusted(chain, "RSA"))
        .as("the JRE's default store does not trust it").isInstanceOf(CertificateException.class);
  }

  @Test
  void aBundleWithoutACertificateFailsThePod() throws Exception {
    Path bundle = dir.resolve("empty.pem");
    Files.writeString(bundle, "not a certificate\n");
    Result r = runScript(bundle, dir.resolve("truststore.p12"));
    assertThat(r.exit).isNotZero();
    assertThat(r.output).contains("no certificate in the CA bundle");
  }

  // ---- helpers ------------------------------------------------------------------------------

  record Result(int exit, String output) {}

  private Result runScript(Path bundle, Path store) throws Exception {
    String javaHome = System.getProperty("java.home");
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", TrustStoreBuilder.SCRIPT).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("JAVA_HOME", javaHome);
    env.put("PATH", javaHome + "/bin:" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("CA_BUNDLE", bundle.toString());
    env.put("TRUST_STORE", store.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  private X509Certificate newCa(String name) throws Exception {
    keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name + " Corp CA",
        "-ext", "bc:c", "-validity", "30", "-keystore", dir.resolve("keys.p12").toString(), "-storepass", "secret1");
    keytool("-exportcert", "-rfc", "-alias", name, "-file", dir.resolve(name + ".pem").toString(),
        "-keystore", dir.resolve("keys.p12").toString(), "-storepass", "secret1");
    return pem(dir.resolve(name + ".pem"));
  }

  private X509Certificate signedBy(String ca, String host) throws Exception {
    String keys = dir.resolve("keys.p12").toString();
    keytool("-genkeypair", "-alias", host, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + host,
        "-validity", "30", "-keystore", keys, "-storepass", "secret1");
    keytool("-certreq", "-alias", host, "-file", dir.resolve("leaf.csr").toString(), "-keystore", keys,
        "-storepass", "secret1");
    keytool("-gencert", "-alias", ca, "-rfc", "-infile", dir.resolve("leaf.csr").toString(),
        "-outfile", dir.resolve("leaf.pem").toString(), "-ext", "san=dns:" + host, "-validity", "30",
        "-keystore", keys, "-storepass", "secret1");
    return pem(dir.resolve("leaf.pem"));
  }

  private static X509Certificate pem(Path p) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(p)));
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("keytool %s: %s", args[0], out).isZero();
  }

  private static X509TrustManager trustManager(KeyStore ks) throws Exception {
    TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    f.init(ks);
    return (X509TrustManager) f.getTrustManagers()[0];
  }
}
