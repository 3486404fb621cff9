package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.api.v1alpha1.DatabaseSpec;
import io.pistack.operator.api.v1alpha1.EmbeddedDatabaseSpec;
import io.pistack.operator.api.v1alpha1.ImageSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spread, identity and placement on the real API server and scheduler: the default spread and a
 * component's own are accepted and converge with no further writes; the pods run as the service
 * account with the priority class's value (the API server's admission resolves it); the database
 * pod gets the pull secrets and its placement; reserved pod labels are refused by the schema; a
 * spread the API server rejects surfaces as ReconcileFailed.
 */
class PodPlacementOnRealApiTest {
  static final Duration T = RealApiStack.T;
  RealApiStack env;

  @BeforeEach
  void start() {
    env = new RealApiStack("placement", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"));
  }

  @AfterEach
  void stop() {
    env.close();
  }

  @Test
  void spreadIdentityAndPlacementReachThePods() {
    String priority = env.ns + "-high";
    env.admin.resource(new PriorityClassBuilder().withNewMetadata().withName(priority).endMetadata()
        .withValue(1000).build()).create();
    env.admin.resource(new ServiceAccountBuilder().withNewMetadata().withName("pi-reports").withNamespace(env.ns)
        .endMetadata().build()).create();
    PiStack s = env.smallStack();
    s.getSpec().image = new ImageSpec();
    s.getSpec().image.pullSecrets = List.of(new LocalObjectReference("mirror"));
    s.getSpec().scheduler.serviceAccountName = "pi-reports";
    s.getSpec().scheduler.priorityClassName = priority;
    s.getSpec().scheduler.podLabels = Map.of("team", "bi");
    s.getSpec().renderer.topologySpreadConstraints = List.of(new TopologySpreadConstraintBuilder().withMaxSkew(1)
        .withTopologyKey("kubernetes.io/hostname").withWhenUnsatisfiable("ScheduleAnyway")
        .withNewLabelSelector().addToMatchLabels("app.kubernetes.io/component", "renderer").endLabelSelector().build());
    s.getSpec().analytics.topologySpreadConstraints = List.of();
    s.getSpec().database = new DatabaseSpec();
    s.getSpec().database.embedded = new EmbeddedDatabaseSpec();
    s.getSpec().database.embedded.nodeSelector = Map.of("kubernetes.io/os", "linux");
    s.getSpec().database.embedded.priorityClassName = priority;
    env.admin.resource(s).create();
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));

    assertThat(spread("pi-dashboard")).extracting(TopologySpreadConstraint::getTopologyKey)
        .containsExactly("topology.kubernetes.io/zone", "kubernetes.io/hostname");
    assertThat(spread("pi-renderer")).singleElement()
        .satisfies(t -> assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname"));
    assertThat(spread("pi-analytics")).isEmpty();
    Pod scheduler = pod("scheduler");
    assertThat(scheduler.getSpec().getServiceAccountName()).isEqualTo("pi-reports");
    assertThat(scheduler.getSpec().getPriority()).as("resolved by the API server's admission").isEqualTo(1000);
    assertThat(scheduler.getMetadata().getLabels()).containsEntry("team", "bi");
    Pod db = pod("db");
    assertThat(db.getSpec().getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("mirror");
    assertThat(db.getSpec().getPriority()).isEqualTo(1000);
    assertThat(db.getSpec().getNodeSelector()).containsEntry("kubernetes.io/os", "linux");

    // Converged: an unrelated edit of a child causes no write to any child (the matcher agrees
    // with what the API server stored for the spread constraints).
    assertUnrelatedEditWritesNoChild("pi-renderer");

    // A spread the Deployment API refuses (the PiStack schema does not know the enum) is reported.
    Stacks.edit(env.admin, env.ns, "pi", p -> p.getSpec().renderer.topologySpreadConstraints.get(0)
        .setWhenUnsatisfiable("Sometimes"));
    await().atMost(T).untilAsserted(() -> {
      assertThat(env.readyReason()).isEqualTo("ReconcileFailed");
      assertThat(Conditions.isTrue(env.stack().getStatus().conditions, ConditionType.DEGRADED.wire())).isTrue();
    });
  }

  @Test
  void reservedPodLabelsAreRefused() {
    PiStack s = env.smallStack();
    s.getSpec().dashboard.podLabels = Map.of("app.kubernetes.io/component", "renderer");
    assertThatThrownBy(() -> env.admin.resource(s).create()).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.dashboard.podLabels").hasMessageContaining("app.kubernetes.io/* labels are the operator's");
    PiStack d = env.smallStack();
    d.getSpec().database = new DatabaseSpec();
    d.getSpec().database.embedded = new EmbeddedDatabaseSpec();
    d.getSpec().database.embedded.podLabels = Map.of("app.kubernetes.io/name", "x");
    assertThatThrownBy(() -> env.admin.resource(d).create()).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.database.embedded.podLabels");
  }

  @Test
  void extraVolumesInitContainersAndSidecarsRunAndConverge() throws Exception {
    PiStack s = env.smallStack();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    s.getSpec().renderer.extraVolumes = List.of(json.readTree("{\"name\":\"fonts\",\"emptyDir\":{}}"));
    s.getSpec().renderer.extraVolumeMounts = List.of(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
        .withName("fonts").withMountPath("/usr/share/fonts/custom").withReadOnly(false).build());
    s.getSpec().renderer.initContainers = List.of(json.readTree("{\"name\":\"fetch-fonts\",\"image\":\"busybox:1.36\","
        + "\"command\":[\"true\"],\"volumeMounts\":[{\"name\":\"fonts\",\"mountPath\":\"/fonts\",\"readOnly\":false}]}"));
    // Every shape of env entry, and fields the API server drops (false, "", empty lists) or keeps as sent
    // (its defaults written out), in the component, its init container and its sidecar.
    String vars = "[{\"name\":\"PLAIN\",\"value\":\"x\"},{\"name\":\"EMPTY\",\"value\":\"\"},{\"name\":\"BARE\"},"
        + "{\"name\":\"FROM_SECRET\",\"valueFrom\":{\"secretKeyRef\":{\"name\":\"fonts-token\",\"key\":\"token\"}}},"
        + "{\"name\":\"FROM_MAP\",\"valueFrom\":{\"configMapKeyRef\":{\"name\":\"fonts-source\",\"key\":\"url\",\"optional\":false}}},"
        + "{\"name\":\"POD_IP\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"status.podIP\"}}},"
        + "{\"name\":\"NODE\",\"value\":\"\",\"valueFrom\":{\"fieldRef\":{\"apiVersion\":\"v1\",\"fieldPath\":\"spec.nodeName\"}}},"
        + "{\"name\":\"MEM\",\"valueFrom\":{\"resourceFieldRef\":{\"containerName\":\"log-shipper\",\"resource\":\"limits.memory\",\"divisor\":\"1Mi\"}}}]";
    String served = "\"stdin\":false,\"stdinOnce\":false,\"tty\":false,\"workingDir\":\"\",\"args\":[],"
        + "\"terminationMessagePath\":\"/dev/termination-log\",\"terminationMessagePolicy\":\"File\","
        + "\"imagePullPolicy\":\"IfNotPresent\"";
    s.getSpec().renderer.env = List.of(json.readValue(vars, io.fabric8.kubernetes.api.model.EnvVar[].class));
    s.getSpec().renderer.initContainers = List.of(json.readTree("{\"name\":\"fetch-fonts\",\"image\":\"busybox:1.36\","
        + "\"command\":[\"true\"],\"volumeMounts\":[{\"name\":\"fonts\",\"mountPath\":\"/fonts\",\"readOnly\":false}],"
        + served + ",\"env\":" + vars + ",\"ports\":[{\"containerPort\":8081,\"hostPort\":0}]}"));
    s.getSpec().renderer.sidecars = List.of(json.readTree("{\"name\":\"log-shipper\",\"image\":\"fluent/fluent-bit:3.2\","
        + served + ",\"env\":" + vars + ",\"resources\":{\"limits\":{\"memory\":\"64Mi\"}},"
        + "\"ports\":[{\"name\":\"forward\",\"containerPort\":24224,\"protocol\":\"TCP\",\"hostIP\":\"\"}]}"));
    env.admin.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata().withName("fonts-token")
        .withNamespace(env.ns).endMetadata().addToStringData("token", "t").build()).create();
    env.admin.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("fonts-source")
        .withNamespace(env.ns).endMetadata().addToData("url", "https://fonts.example.com").build()).create();
    env.admin.resource(s).create();
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));
    var pod = env.deployment("pi-renderer").getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers()).extracting(io.fabric8.kubernetes.api.model.Container::getName)
        .containsExactly("renderer", "log-shipper");
    assertThat(pod.getInitContainers()).singleElement().satisfies(c -> assertThat(c.getName()).isEqualTo("fetch-fonts"));

    // Converged, although the API server defaulted fields of the user's containers and dropped their
    // readOnly: false, stdin: false, empty values and lists: no child writes.
    assertUnrelatedEditWritesNoChild("pi-renderer");

    // The API server is the judge of these schemaless lists: a sidecar named like the component is refused.
    Stacks.edit(env.admin, env.ns, "pi", p -> p.getSpec().renderer.sidecars = List.of(
        new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode().put("name", "renderer").put("image", "x:1")));
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("ReconcileFailed"));
  }

  @Test
  void aCaBundleBecomesTheTrustStoreOfTheDashboardAndScheduler() {
    env.admin.resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("corporate-ca")
        .withNamespace(env.ns).endMetadata().addToData("ca.crt", "-----BEGIN CERTIFICATE-----\n...").build()).create();
    PiStack both = env.smallStack();
    both.getSpec().trust = new io.pistack.operator.api.v1alpha1.TrustSpec();
    both.getSpec().trust.configMapName = "corporate-ca";
    both.getSpec().trust.secretName = "corporate-ca";
    assertThatThrownBy(() -> env.admin.resource(both).create()).isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.trust").hasMessageContaining(io.pistack.operator.api.v1alpha1.TrustSpec.ONE_SOURCE_MESSAGE);

    PiStack s = env.smallStack();
    s.getSpec().trust = new io.pistack.operator.api.v1alpha1.TrustSpec();
    s.getSpec().trust.configMapName = "corporate-ca";
    env.admin.resource(s).create();
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));
    for (String c : List.of("dashboard", "scheduler")) {
      Pod pod = pod(c);
      assertThat(pod.getSpec().getInitContainers()).extracting(io.fabric8.kubernetes.api.model.Container::getName)
          .containsExactly("pi-trust-store");
      assertThat(pod.getSpec().getContainers().get(0).getEnv()).anyMatch(e -> e.getName().equals("JAVA_TOOL_OPTIONS"));
    }
    assertThat(pod("renderer").getSpec().getInitContainers()).isEmpty();

    assertUnrelatedEditWritesNoChild("pi-dashboard");
  }

  /**
   * Converged, then an unrelated edit of {@code deployment}: a reconcile that started after it runs to
   * completion and the operator writes no child (only the stack's status or an event).
   */
  private void assertUnrelatedEditWritesNoChild(String deployment) {
    env.awaitConverged();
    assertThat(env.writesAfter(() -> env.admin.apps().deployments().inNamespace(env.ns).withName(deployment)
        .edit(d -> {
          d.getMetadata().getAnnotations().put("example.com/touched", "yes");
          return d;
        }), RealApiStack::statusOrEvent)).as("operator writes to its children after an unrelated edit")
        .allMatch(RealApiStack::statusOrEvent);
  }

  private List<TopologySpreadConstraint> spread(String deployment) {
    return env.deployment(deployment).getSpec().getTemplate().getSpec().getTopologySpreadConstraints();
  }

  private Pod pod(String component) {
    return env.admin.pods().inNamespace(env.ns).withLabel("app.kubernetes.io/component", component).list().getItems()
        .stream().findFirst().orElseThrow();
  }
}
