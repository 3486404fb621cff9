package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.it.Stacks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The generated CRD's schema and CEL rules, evaluated by a real kube-apiserver (server-side dry run). */
class SchemaAndCelRejectionTest {
  static KubernetesClient client;

  @BeforeAll
  static void connect() {
    client = RealApiServer.get().client();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @ParameterizedTest
  @MethodSource("io.pistack.operator.it.Stacks#samples")
  void samplesAreAccepted(Path sample) throws IOException {
    GenericKubernetesResource r = Serialization.unmarshal(Files.readString(sample), GenericKubernetesResource.class);
    r.getMetadata().setNamespace("default");
    assertThat(client.resource(r).dryRun().create()).isNotNull();
  }

  /** Each case: a spec fragment (YAML, indented under spec:) and what the API server must say. */
  static Stream<Arguments> invalid() {
    return Stream.of(
        bad("missing version", "licence: {secretName: l}", "spec.version: Required value"),
        bad("version with a space", "version: '2025 10'", "spec.version"),
        bad("shared volume below 5Gi", "version: v\nstorage: {size: 1Gi}", "the shared volume must be at least 5Gi"),
        bad("size not a quantity", "version: v\nstorage: {size: lots}", "spec.storage.size"),
        bad("unknown access mode", "version: v\nstorage: {accessModes: [ReadMany]}", "Unsupported value: \"ReadMany\""),
        bad("two schedulers", "version: v\nscheduler: {replicas: 2}", "the scheduler runs at most one replica"),
        bad("scheduler autoscaling", "version: v\nscheduler: {autoscaling: {enabled: true}}",
            "the scheduler cannot autoscale"),
        bad("min above max", "version: v\ndashboard: {autoscaling: {enabled: true, minReplicas: 5, maxReplicas: 2}}",
            "autoscaling.minReplicas must not exceed autoscaling.maxReplicas"),
        bad("min above default max", "version: v\nrenderer: {autoscaling: {minReplicas: 4}}",
            "autoscaling.minReplicas must not exceed autoscaling.maxReplicas"),
        bad("cpu target over 100", "version: v\nanalytics: {autoscaling: {targetCPUUtilizationPercentage: 150}}",
            "spec.analytics.autoscaling.targetCPUUtilizationPercentage"),
        bad("zero min replicas", "version: v\ndashboard: {autoscaling: {minReplicas: 0}}",
            "spec.dashboard.autoscaling.minReplicas"),
        bad("negative replicas", "version: v\nexcelReader: {replicas: -1}", "spec.excelReader.replicas"),
        bad("TLS without host", "version: v\ningress: {tlsSecretName: t}", "ingress TLS needs a host"),
        bad("enabled ingress without host", "version: v\ningress: {enabled: true}", "an enabled ingress needs a host"),
        bad("bad host name", "version: v\ningress: {enabled: true, host: Bad_Host}", "spec.ingress.host"),
        bad("path without slash", "version: v\ningress: {host: a.example.com, path: pi}", "spec.ingress.path"),
        bad("both databases", "version: v\ndatabase: {embedded: {}, external: {host: db, credentialsSecret: {name: c}}}",
            "set either database.external or database.embedded, not both"),
        bad("external without host", "version: v\ndatabase: {external: {credentialsSecret: {name: c}}}",
            "spec.database.external.host: Required value"),
        bad("host with a port", "version: v\ndatabase: {external: {host: 'db.example.com:3306', credentialsSecret: {name: c}}}",
            "spec.database.external.host"),
        bad("external without credentials", "version: v\ndatabase: {external: {host: db}}",
            "spec.database.external.credentialsSecret: Required value"),
        bad("port out of range", "version: v\ndatabase: {external: {host: db, port: 70000, credentialsSecret: {name: c}}}",
            "spec.database.external.port"),
        bad("bad schema name", "version: v\ndatabase: {external: {host: db, schema: 'x-y!', credentialsSecret: {name: c}}}",
            "spec.database.external.schema"),
        bad("unknown pull policy", "version: v\nimage: {pullPolicy: Sometimes}", "Unsupported value: \"Sometimes\""),
        bad("licence without secret", "version: v\nlicence: {key: licence}", "spec.licence.secretName: Required value"),
        bad("tiny tomcat", "version: v\ndashboard: {tomcatMaxMemoryMb: 100}", "spec.dashboard.tomcatMaxMemoryMb"),
        bad("embedded DB size not a quantity", "version: v\ndatabase: {embedded: {storageSize: big}}",
            "spec.database.embedded.storageSize"),
        bad("backup schedule not cron", "version: v\nbackup: {enabled: true, schedule: 'every night'}",
            "spec.backup.schedule"),
        bad("keep no backup", "version: v\nbackup: {keep: 0}", "spec.backup.keep"),
        bad("time zone with a space", "version: v\nbackup: {timeZone: 'Europe London'}", "spec.backup.timeZone"),
        bad("existing backup claim with a size", "version: v\nbackup: {storage: {existingClaim: old, size: 10Gi}}",
            "backup.storage.existingClaim excludes size and storageClassName"),
        bad("restore without a backup", "version: v\nrestore: {force: true}", "exactly one of backup, piBackup, before"),
        bad("restore of a name and a time", "version: v\nrestore: {backup: latest, before: '2026-12-07T09:00:00Z'}",
            "exactly one of backup, piBackup, before"),
        bad("restore of a path", "version: v\nrestore: {backup: '../etc'}", "spec.restore.backup"));
  }

  /** Every loopback or unspecified form of the external database host (LoopbackHost). */
  static Stream<String> loopbackHosts() {
    return Stream.of("localhost", "LOCALHOST", "localhost4", "localhost6", "ip6-localhost", "ip6-loopback",
        "db.localhost", "localhost.localdomain", "127.0.0.1", "127.9.8.7", "0.0.0.0", "0.1.2.3", "2130706433", "0",
        "0x7f000001", "127.1", "0177.0.0.1", "localhost.", "::1", "[::1]", "::", "::ffff:127.0.0.1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loopbackHosts")
  void everyLoopbackFormOfTheExternalHostIsRejectedNamingTheField(String host) {
    GenericKubernetesResource r = Serialization.unmarshal("apiVersion: pistack.io/v1alpha1\nkind: PiStack\n"
        + "metadata: {name: bad, namespace: default}\nspec:\n  version: v\n  database: {external: {host: '" + host
        + "', credentialsSecret: {name: c}}}\n", GenericKubernetesResource.class);
    assertThatThrownBy(() -> client.resource(r).dryRun().create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining("spec.database.external.host");
    // The operator's own check (render, a cluster whose CRD predates the rule) refuses it too.
    assertThat(io.pistack.operator.api.v1alpha1.LoopbackHost.refused(host) || host.contains(":") || host.endsWith("."))
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"db.example.com", "10.0.0.5", "192.168.1.20",
      "localhostdb.example.com", "mariadb"})
  void realExternalHostsAreAccepted(String host) {
    GenericKubernetesResource r = Serialization.unmarshal("apiVersion: pistack.io/v1alpha1\nkind: PiStack\n"
        + "metadata: {name: ok, namespace: default}\nspec:\n  version: v\n  database: {external: {host: '" + host
        + "', credentialsSecret: {name: c}}}\n", GenericKubernetesResource.class);
    assertThat(client.resource(r).dryRun().create()).isNotNull();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidStacksAreRejected(String name, String spec, String expected) {
    String yaml = "apiVersion: pistack.io/v1alpha1\nkind: PiStack\nmetadata: {name: bad, namespace: default}\nspec:\n  "
        + spec.replace("\n", "\n  ") + "\n";
    GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
    assertThatThrownBy(() -> client.resource(r).dryRun().create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(expected);
  }

  private static Arguments bad(String name, String spec, String expected) {
    return Arguments.of(name, spec, expected);
  }
}
