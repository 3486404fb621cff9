package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import io.pistack.operator.api.v1alpha1.SchedulerSpec;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.reconciler.Conditions;
import io.pistack.operator.reconciler.PiStackReconciler;
import io.pistack.operator.runtime.OperatorRuntime;
import io.pistack.operator.runtime.RuntimeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator, in-process and in JOSDK's default SSA mode, against a real kube-apiserver with the
 * real controller-manager (Deployment/ReplicaSet/StatefulSet/garbage-collector/HPA controllers),
 * scheduler and kwok standing in for kubelets.
 */
class OperatorOnRealApiTest {
  static final AtomicInteger SEQ = new AtomicInteger();
  static final Duration T = RealApiServer.timeout();

  KubernetesClient admin;
  KubernetesClient operatorClient;
  WriteCounter operatorWrites = new WriteCounter();
  OperatorRuntime operator;
  String ns;

  @BeforeEach
  void start() {
    RealApiServer api = RealApiServer.get();
    admin = api.client();
    ns = "real-" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 100000;
    admin.resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).create();
    Stacks.licenceSecret(admin, ns);
    // No storage provisioner here: static volumes the PV controller binds the claims to.
    volume(ns + "-shared", "5Gi", "ReadWriteMany");
    volume(ns + "-db", "10Gi", "ReadWriteOnce");
    operatorClient = api.client(new KubernetesClientBuilder()
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("count-writes", operatorWrites)));
    // Active probes off: kwok's pods serve nothing and the test host has no cluster DNS. Health
    // comes from the Deployments and Pods the real controllers and kwok report.
    operator = OperatorRuntime.builder(operatorClient, RuntimeConfig.defaults()
            .withWatchNamespaces(java.util.Set.of(ns))
            .withHealth(io.pistack.operator.health.HealthConfig.disabled())
            .withHttpPort(0))
        .build().start();
  }

  @AfterEach
  void stop() {
    operator.stop();
    admin.namespaces().withName(ns).delete();
    admin.persistentVolumes().withName(ns + "-shared").delete();
    admin.persistentVolumes().withName(ns + "-db").delete();
    admin.close();
  }

  @Test
  void aStackConvergesToReadyAndAReconcileOfItWritesNothing() {
    admin.resource(stack()).create();
    await().atMost(T).untilAsserted(() -> assertThat(readyReason()).isEqualTo("AllComponentsReady"));
    Deployment dashboard = deployment("pi-dashboard");
    assertThat(dashboard.getStatus().getAvailableReplicas()).isEqualTo(2);
    assertThat(admin.pods().inNamespace(ns).list().getItems())
        .filteredOn(p -> "Running".equals(p.getStatus().getPhase())).hasSizeGreaterThanOrEqualTo(6);

    // A change to a child triggers a reconcile; with nothing to fix it makes no write.
    await().pollDelay(Duration.ofSeconds(3)).atMost(T).until(() -> true);
    String before = statusJson();
    int mark = operatorWrites.mark();
    admin.apps().deployments().inNamespace(ns).withName("pi-renderer").edit(d -> {
      d.getMetadata().getAnnotations().put("example.com/touched", "yes");
      return d;
    });
    await().pollDelay(Duration.ofSeconds(5)).atMost(T).until(() -> true);
    List<String> writes = operatorWrites.since(mark);
    String after = statusJson();
    assertThat(writes).as("operator writes to its children after an unrelated edit")
        .allMatch(w -> w.endsWith("/pistacks/pi/status") || w.contains("/events"));
    // On a real cluster the world may move meanwhile (kwok and the controllers occasionally take a
    // pod through not-ready and back; seen once in several CI runs). A status write is then right,
    // but only with a transition to show for it: an identical status is never written again.
    if (!writes.isEmpty()) {
      assertThat(after).as("status written %d times without an observed transition; before:%n%s%nafter:%n%s",
          writes.size(), before, after).isNotEqualTo(before);
    }
    assertThat(deployment("pi-renderer").getMetadata().getAnnotations()).containsEntry("example.com/touched", "yes");
  }

  @Test
  void aFieldTheOperatorManagesIsRevertedWithOneWrite() {
    admin.resource(stack()).create();
    await().atMost(T).until(() -> deployment("pi-analytics") != null
        && "AllComponentsReady".equals(readyReason()));

    int mark = operatorWrites.mark();
    Deployment intruder = new DeploymentBuilder().withNewMetadata().withName("pi-analytics").withNamespace(ns)
        .endMetadata().withNewSpec().withNewTemplate().withNewSpec().addNewContainer().withName("analytics")
        .withImage("example.com/not-pi:1").endContainer().endSpec().endTemplate().endSpec().build();
    admin.resource(intruder).fieldManager("intruder").forceConflicts().serverSideApply();

    await().atMost(T).untilAsserted(() -> assertThat(image("pi-analytics")).isEqualTo("ghcr.io/pi-cr/pirana:2025_10.1"));
    await().pollDelay(Duration.ofSeconds(5)).atMost(T).until(() -> true);
    List<String> writes = operatorWrites.since(mark).stream()
        .filter(w -> w.contains("/deployments/pi-analytics")).toList();
    assertThat(writes).as("writes to revert one field").hasSize(1);
  }

  @Test
  void turningAutoscalingOnHandsReplicasToTheAutoscaler() {
    admin.resource(stack()).create();
    await().atMost(T).until(() -> "AllComponentsReady".equals(readyReason()));
    assertThat(ownsReplicas(deployment("pi-dashboard"), PiStackReconciler.NAME)).isTrue();

    Stacks.edit(admin, ns, "pi", s -> {
      s.getSpec().dashboard.autoscaling = new AutoscalingSpec();
      s.getSpec().dashboard.autoscaling.enabled = true;
      s.getSpec().dashboard.autoscaling.minReplicas = 1;
      s.getSpec().dashboard.autoscaling.maxReplicas = 6;
    });
    await().atMost(T).until(() ->
        admin.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("pi-dashboard").get() != null
            && !ownsReplicas(deployment("pi-dashboard"), PiStackReconciler.NAME));
    // The running pods are kept: replicas did not fall back to the default of 1.
    assertThat(deployment("pi-dashboard").getSpec().getReplicas()).isEqualTo(2);

    // Someone else scales through the scale subresource; the operator leaves it alone.
    admin.apps().deployments().inNamespace(ns).withName("pi-dashboard").scale(4);
    Stacks.edit(admin, ns, "pi", s -> s.getSpec().dashboard.podAnnotations = Map.of("rev", "2"));
    await().atMost(T).until(() -> "2".equals(deployment("pi-dashboard").getSpec().getTemplate().getMetadata()
        .getAnnotations().get("rev")));
    await().pollDelay(Duration.ofSeconds(3)).atMost(T).until(() -> true);
    assertThat(deployment("pi-dashboard").getSpec().getReplicas()).isEqualTo(4);
  }

  @Test
  void deletingTheStackCollectsItsChildrenButKeepsTheData() {
    admin.resource(stack()).create();
    await().atMost(T).until(() -> "AllComponentsReady".equals(readyReason()));
    String password = admin.secrets().inNamespace(ns).withName("pi-db-credentials").get().getData().get("password");

    admin.resources(PiStack.class).inNamespace(ns).withName("pi").delete();
    await().atMost(T).untilAsserted(() -> {
      assertThat(admin.apps().deployments().inNamespace(ns).list().getItems()).isEmpty();
      assertThat(admin.apps().statefulSets().inNamespace(ns).list().getItems()).isEmpty();
      assertThat(admin.services().inNamespace(ns).withName("pi-dashboard").get()).isNull();
    });
    assertThat(admin.persistentVolumeClaims().inNamespace(ns).withName("pi-shared").get()).isNotNull();
    assertThat(admin.persistentVolumeClaims().inNamespace(ns).withName("data-pi-db-0").get()).isNotNull();
    assertThat(admin.secrets().inNamespace(ns).withName("pi-db-credentials").get()).isNotNull();

    // Re-creating the stack adopts the data: same credentials, same claims.
    admin.resource(stack()).create();
    await().atMost(T).until(() -> "AllComponentsReady".equals(readyReason()));
    assertThat(admin.secrets().inNamespace(ns).withName("pi-db-credentials").get().getData().get("password"))
        .isEqualTo(password);
  }

  @Test
  void optingInDeletesTheDataWithTheStack() {
    PiStack stack = stack();
    stack.getSpec().storage = new io.pistack.operator.api.v1alpha1.StorageSpec();
    stack.getSpec().storage.deleteWithStack = true;
    admin.resource(stack).create();
    await().atMost(T).until(() -> "AllComponentsReady".equals(readyReason()));

    admin.resources(PiStack.class).inNamespace(ns).withName("pi").delete();
    await().atMost(T).untilAsserted(() -> {
      assertThat(admin.persistentVolumeClaims().inNamespace(ns).withName("pi-shared").get()).isNull();
      assertThat(admin.persistentVolumeClaims().inNamespace(ns).withName("data-pi-db-0").get()).isNull();
      assertThat(admin.secrets().inNamespace(ns).withName("pi-db-credentials").get()).isNull();
    });
  }

  /** The minimal sample, sized to fit a fake node and with 2 dashboards. */
  private PiStack stack() {
    PiStack s = Stacks.sample("minimal.yaml", ns);
    var small = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("10m"))
        .addToRequests("memory", new Quantity("64Mi")).addToLimits("memory", new Quantity("1536Mi")).build();
    s.getSpec().dashboard = new DashboardSpec();
    s.getSpec().dashboard.replicas = 2;
    s.getSpec().dashboard.resources = small;
    s.getSpec().scheduler = new SchedulerSpec();
    s.getSpec().scheduler.resources = small;
    s.getSpec().renderer = new ScalableComponentSpec();
    s.getSpec().renderer.resources = small;
    s.getSpec().analytics = new ScalableComponentSpec();
    s.getSpec().analytics.resources = small;
    s.getSpec().excelReader = new ComponentSpec();
    s.getSpec().excelReader.resources = small;
    return s;
  }

  private void volume(String name, String size, String mode) {
    admin.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().addToCapacity("storage", new Quantity(size)).withAccessModes(mode)
        .withStorageClassName("").withPersistentVolumeReclaimPolicy("Retain")
        .withNewHostPath().withPath("/tmp/" + name).endHostPath()
        .withNewClaimRef().withNamespace(ns).withName(mode.equals("ReadWriteMany") ? "pi-shared" : "data-pi-db-0")
        .endClaimRef()
        .endSpec().build()).create();
  }

  private Deployment deployment(String name) {
    return admin.apps().deployments().inNamespace(ns).withName(name).get();
  }

  private String image(String name) {
    return deployment(name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private String statusJson() {
    PiStack s = admin.resources(PiStack.class).inNamespace(ns).withName("pi").get();
    return io.fabric8.kubernetes.client.utils.Serialization.asYaml(s.getStatus());
  }

  private String readyReason() {
    PiStack s = admin.resources(PiStack.class).inNamespace(ns).withName("pi").get();
    if (s == null || s.getStatus() == null) {
      return null;
    }
    return s.getStatus().conditions.stream().filter(c -> Conditions.READY.equals(c.getType()))
        .map(c -> c.getReason()).findFirst().orElse(null);
  }

  @SuppressWarnings("unchecked")
  static boolean ownsReplicas(Deployment d, String manager) {
    for (ManagedFieldsEntry m : d.getMetadata().getManagedFields()) {
      if (manager.equals(m.getManager()) && "Apply".equals(m.getOperation()) && m.getFieldsV1() != null
          && m.getFieldsV1().getAdditionalProperties().get("f:spec") instanceof Map<?, ?> spec
          && spec.containsKey("f:replicas")) {
        return true;
      }
    }
    return false;
  }
}
