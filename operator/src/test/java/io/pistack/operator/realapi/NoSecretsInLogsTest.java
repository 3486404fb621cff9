package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * PI_OPERATOR_LOG_LEVEL=TRACE prints no Secret data: a whole lifecycle on the real API server
 * (create, Ready, a spec change rolled out, delete) with logging set up as production does at
 * TRACE, then every log line, every event and the status are scanned for the licence and the
 * generated database password, as written and base64-encoded (as a Secret carries them on the
 * wire). The scan is shown to work: with the wire-logging pin lifted, one read of the Secret puts
 * the password in the log and the same scan finds it. The pin must be in place before a client is
 * built (fabric8 decides then whether to log bodies), which RunCommand does.
 */
class NoSecretsInLogsTest {
  static final Duration T = RealApiStack.T;

  @Test
  void aWholeLifecycleAtTraceLeavesNoSecretInLogsEventsOrStatus() {
    try (ProductionLogs logs = new ProductionLogs("TRACE");
         RealApiStack env = new RealApiStack("nosecret", claim("pi-shared", "5Gi", "ReadWriteMany"),
             claim("data-pi-db-0", "10Gi", "ReadWriteOnce"))) {
      KubernetesClient admin = env.admin;
      String licence = "<licence id=\"" + UUID.randomUUID() + "\"/>";
      admin.secrets().inNamespace(env.ns).withName("pi-licence").edit(s -> {
        s.setData(null);
        s.setStringData(Map.of("licence", licence));
        return s;
      });

      admin.resource(env.smallStack()).create();
      await().atMost(T).until(() -> "AllComponentsReady".equals(env.readyReason()));
      List<String> statuses = new ArrayList<>();
      statuses.add(Serialization.asYaml(env.stack()));
      Stacks.edit(admin, env.ns, "pi", s -> s.getSpec().dashboard.podAnnotations = Map.of("rev", "2"));
      await().atMost(T).until(() -> "2".equals(env.deployment("pi-dashboard").getSpec().getTemplate().getMetadata()
          .getAnnotations().get("rev")) && "AllComponentsReady".equals(env.readyReason()));
      statuses.add(Serialization.asYaml(env.stack()));
      admin.resources(PiStack.class).inNamespace(env.ns).withName("pi").delete();
      await().atMost(T).until(() -> admin.apps().deployments().inNamespace(env.ns).list().getItems().isEmpty());
      String events = Serialization.asYaml(admin.v1().events().inNamespace(env.ns).list().getItems());

      // The credentials outlive the stack; they are what the operator generated and used.
      Secret credentials = admin.secrets().inNamespace(env.ns).withName("pi-db-credentials").get();
      String password = decode(credentials.getData().get("password"));
      assertThat(password).hasSizeGreaterThanOrEqualTo(16);
      // The backup user's and root's passwords too: generated the same way, read by other pods.
      String backupPassword = decode(admin.secrets().inNamespace(env.ns).withName("pi-db-backup").get().getData()
          .get("password"));
      String rootPassword = decode(admin.secrets().inNamespace(env.ns).withName("pi-db-root").get().getData()
          .get("password"));
      assertThat(backupPassword).hasSizeGreaterThanOrEqualTo(16);
      Map<String, String> secrets = forms(Map.of("licence", licence, "database password", password,
          "backup user's password", backupPassword, "root's password", rootPassword));

      // TRACE really was on, and the client, its transport and JOSDK all spoke below INFO.
      List<String> all = logs.since(0);
      Map<String, Long> speakers = all.stream().collect(java.util.stream.Collectors.groupingBy(
          l -> l.replaceFirst("^(\\w+ (io|com|org)\\.\\w+).*", "$1").split("\n")[0], java.util.TreeMap::new,
          java.util.stream.Collectors.counting()));
      assertThat(org.slf4j.LoggerFactory.getLogger("io.javaoperatorsdk.operator").isTraceEnabled()).isTrue();
      assertThat(org.slf4j.LoggerFactory.getLogger("io.fabric8.kubernetes.client").isTraceEnabled()).isTrue();
      assertThat(speakers).as("who logged at which level").containsKeys(
          "DEBUG io.fabric8", "DEBUG io.javaoperatorsdk", "DEBUG io.netty", "DEBUG io.vertx");
      assertThat(events).as("events were recorded").contains("Ready");

      assertThat(leaks(secrets, all)).as("log lines carrying a secret (out of %d)", all.size()).isEmpty();
      assertThat(leaks(secrets, List.of(events))).as("events carrying a secret").isEmpty();
      assertThat(leaks(secrets, statuses)).as("status carrying a secret").isEmpty();

      // The scan catches a leak: a client made without the pin (fabric8 adds its body logger to a
      // client built while TRACE is on) logs the Secret's data on one read.
      int mark = logs.mark();
      logs.unpinWireLogging();
      try (KubernetesClient unpinned = RealApiServer.get().client()) {
        unpinned.secrets().inNamespace(env.ns).withName("pi-db-credentials").get();
      }
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(leaks(secrets, logs.since(mark)))
          .as("the same scan with the pin lifted").anyMatch(l -> l.startsWith("database password")));
    }
  }

  /** Each secret as written and base64-encoded, by a name that says which it is. */
  private static Map<String, String> forms(Map<String, String> secrets) {
    Map<String, String> forms = new LinkedHashMap<>();
    secrets.forEach((name, value) -> {
      forms.put(name, value);
      forms.put(name + " (base64)", Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    });
    return forms;
  }

  /** Which secrets occur in which lines, named without printing the secret or the line. */
  private static List<String> leaks(Map<String, String> secrets, List<String> texts) {
    List<String> found = new ArrayList<>();
    for (String text : texts) {
      secrets.forEach((name, value) -> {
        if (text.contains(value)) {
          found.add(name + " in: " + text.substring(0, Math.min(80, text.indexOf(" - ") < 0 ? 40 : text.indexOf(" - "))));
        }
      });
    }
    return found;
  }

  private static String decode(String b64) {
    return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
  }
}
