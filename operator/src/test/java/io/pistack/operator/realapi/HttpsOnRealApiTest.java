package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.pistack.operator.api.v1alpha1.HttpsSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.status.ConditionType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Tomcat's own HTTPS on the real API server: while the certificate Secret is missing the stack says
 * so (SecretNotFound, no workload); once a kubernetes.io/tls Secret exists the API server accepts
 * the Secret volume, the HTTPS probes and the Service's appProtocol, the stack becomes Ready, and an
 * unrelated edit costs no write (the matcher agrees with what the server stored).
 */
class HttpsOnRealApiTest {
  static final Duration T = RealApiStack.T;
  RealApiStack env;

  @BeforeEach
  void start() {
    env = new RealApiStack("https", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void theDashboardServesHttpsFromACertManagerStyleSecret() {
    PiStack s = env.smallStack();
    s.getSpec().dashboard.https = new HttpsSpec();
    s.getSpec().dashboard.https.enabled = true;
    s.getSpec().dashboard.https.secretName = "pi-dashboard-tls";
    env.admin.resource(s).create();
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("SecretNotFound"));
    assertThat(env.stack().getStatus().conditions).filteredOn(c -> ConditionType.READY.wire().equals(c.getType()))
        .singleElement().satisfies(c -> assertThat(c.getMessage()).contains("pi-dashboard-tls"));

    // The Secret cert-manager would write (the API server checks the type's two keys, not the PEM).
    String pem = Base64.getEncoder().encodeToString("-----BEGIN X-----\nAA==\n-----END X-----\n"
        .getBytes(StandardCharsets.US_ASCII));
    env.admin.resource(new SecretBuilder().withNewMetadata().withName("pi-dashboard-tls").withNamespace(env.ns)
        .endMetadata().withType("kubernetes.io/tls").addToData("tls.crt", pem).addToData("tls.key", pem)
        .addToData("ca.crt", pem).build()).create();
    // The Secret watch reconciles the stack when the Secret appears (the recheck is only every 5 minutes).
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));

    var pod = env.deployment("pi-dashboard").getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("pi-tls")).singleElement()
        .satisfies(v -> assertThat(v.getSecret().getSecretName()).isEqualTo("pi-dashboard-tls"));
    Container dashboard = pod.getContainers().get(0);
    assertThat(dashboard.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
    assertThat(dashboard.getEnv()).extracting(EnvVar::getName).contains("PI_TOMCAT_USE_HTTPS", "PI_TOMCAT_HTTPS_CERT");
    assertThat(env.admin.services().inNamespace(env.ns).withName("pi-dashboard").get().getSpec().getPorts())
        .filteredOn(p -> p.getName().equals("http")).singleElement().extracting(ServicePort::getAppProtocol)
        .isEqualTo("https");
    assertThat(env.deployment("pi-scheduler").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().equals("SCHEDULER_DASHBOARD_URL")).singleElement()
        .extracting(EnvVar::getValue).isEqualTo("https://pi-dashboard:8224/pi");

    // Converged: an unrelated edit of the dashboard's Deployment and Service causes no write to any child.
    env.awaitConverged();
    List<String> writes = env.writesAfter(() -> {
      env.admin.apps().deployments().inNamespace(env.ns).withName("pi-dashboard").edit(d -> {
        d.getMetadata().getAnnotations().put("example.com/touched", "yes");
        return d;
      });
      env.admin.services().inNamespace(env.ns).withName("pi-dashboard").edit(svc -> {
        svc.getMetadata().setAnnotations(new java.util.HashMap<>(java.util.Map.of("example.com/touched", "yes")));
        return svc;
      });
    }, RealApiStack::statusOrEvent);
    assertThat(writes).as("operator writes to its children after an unrelated edit")
        .allMatch(w -> w.endsWith("/pistacks/pi/status") || w.contains("/events"));
  }
}
