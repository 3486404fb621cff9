package io.pistack.operator.model;

import io.pistack.operator.desired.DesiredStacks;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Qdrant: an optional component with its own ReadWriteOnce volume, wired to the dashboard. */
class QdrantTest {
  static final String ON = "  version: \"2025_10.1\"\n  qdrant:\n    enabled: true\n";

  @Test
  void offByDefaultAndNothingOfItIsRendered() {
    ResolvedStack stack = TestStacks.resolved("  version: \"2025_10.1\"\n  qdrant: {}\n");
    assertThat(stack.enabled(Component.QDRANT)).isFalse();
    assertThat(DesiredStacks.fresh(stack).objects()).noneMatch(o -> o.getMetadata().getName().contains("qdrant"));
    assertThat(names(EnvironmentBuilder.build(stack, Component.DASHBOARD))).doesNotContain("PI_VECTOR_DB_URL");
  }

  @Test
  void enabledItRunsOnePinnedPodOnItsOwnReadWriteOnceVolume() {
    ResolvedStack stack = TestStacks.resolved(ON);
    Deployment d = DeploymentBuilder.build(stack, Component.QDRANT);
    var pod = d.getSpec().getTemplate().getSpec();
    var container = pod.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("docker.io/qdrant/qdrant:v1.13.6");
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getStrategy().getType()).as("RWO: the old pod lets go of the volume first")
        .isEqualTo("Recreate");
    assertThat(container.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("http:6333", "grpc:6334");
    assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/");
    assertThat(container.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(6333);
    assertThat(pod.getVolumes()).singleElement().satisfies(v -> {
      assertThat(v.getName()).isEqualTo("storage");
      assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("pi-qdrant-storage");
    });
    assertThat(container.getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getMountPath()).isEqualTo("/qdrant/storage"));
    assertThat(names(container.getEnv())).containsExactly("TZ", "QDRANT__SERVICE__API_KEY");

    PersistentVolumeClaim pvc = PersistentVolumeClaimBuilder.componentVolume(stack, Component.QDRANT);
    assertThat(pvc.getMetadata().getName()).isEqualTo("pi-qdrant-storage");
    assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("10Gi");
    assertThat(pvc.getSpec().getStorageClassName()).isNull();
    assertThat(pvc.getMetadata().getOwnerReferences()).as("data: no owner reference").isNullOrEmpty();

    var service = ServiceBuilder.build(stack, Component.QDRANT);
    assertThat(service.getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort())
        .containsExactly("http:6333", "grpc:6334");
  }

  @Test
  void theDashboardFindsItAndOnlyTheDashboard() {
    ResolvedStack stack = TestStacks.resolved(ON);
    assertThat(EnvironmentBuilder.build(stack, Component.DASHBOARD)).filteredOn(e -> e.getName().equals("PI_VECTOR_DB_URL"))
        .singleElement().satisfies(e -> assertThat(e.getValue()).isEqualTo("http://pi-qdrant:6333"));
    for (Component c : List.of(Component.SCHEDULER, Component.RENDERER, Component.ANALYTICS, Component.EXCEL_READER)) {
      assertThat(names(EnvironmentBuilder.build(stack, c))).doesNotContain("PI_VECTOR_DB_URL", "PI_VECTOR_DB_API_KEY");
    }
  }

  @Test
  void itRequiresAGeneratedApiKeyWhichTheDashboardGets() {
    ResolvedStack stack = TestStacks.resolved(ON);
    for (var e : java.util.Map.of(Component.QDRANT, "QDRANT__SERVICE__API_KEY", Component.DASHBOARD,
        "PI_VECTOR_DB_API_KEY").entrySet()) {
      assertThat(EnvironmentBuilder.build(stack, e.getKey())).filteredOn(v -> v.getName().equals(e.getValue()))
          .as(e.toString()).singleElement().satisfies(v -> {
            assertThat(v.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-qdrant-api-key");
            assertThat(v.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("api-key");
          });
    }
    var secret = SecretBuilder.qdrantApiKey(stack, SecretBuilder.randomPassword());
    assertThat(secret.getMetadata().getName()).isEqualTo("pi-qdrant-api-key");
    assertThat(secret.getStringData().get("api-key")).hasSize(32);
    assertThat(secret.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.OPERATOR);
    // Without Qdrant the dashboard gets no key.
    assertThat(names(EnvironmentBuilder.build(TestStacks.resolved("  version: \"2025_10.1\"\n"), Component.DASHBOARD)))
        .doesNotContain("PI_VECTOR_DB_API_KEY");
  }

  @Test
  void neverTheSharedVolumeAndNotStoppedByARestore() {
    assertThat(Component.QDRANT.sharedMounts()).isEmpty();
    assertThat(Component.QDRANT.usesDatabase()).isFalse();
    assertThat(Component.QDRANT.canAutoscale()).isFalse();
    assertThat(Component.QDRANT.disruptionBudget()).isFalse();
  }

  @Test
  void sizeClassAndImageAreTheUsers() {
    ResolvedStack stack = TestStacks.resolved(ON + "    storageSize: 50Gi\n    storageClassName: gp3\n"
        + "    image: mirror.example.com/qdrant/qdrant:v1.13.6\n");
    PersistentVolumeClaim pvc = PersistentVolumeClaimBuilder.componentVolume(stack, Component.QDRANT);
    assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("50Gi");
    assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("gp3");
    assertThat(stack.images().of(Component.QDRANT)).isEqualTo("mirror.example.com/qdrant/qdrant:v1.13.6");
  }

  @Test
  void renderListsItsClaimAfterTheSharedOne() {
    List<String> objects = DesiredStacks.fresh(TestStacks.resolved(ON)).objects().stream()
        .map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
    assertThat(objects).containsSubsequence("PersistentVolumeClaim/pi-shared", "PersistentVolumeClaim/pi-qdrant-storage",
        "Service/pi-qdrant", "Deployment/pi-qdrant");
    assertThat(objects).doesNotContain("PodDisruptionBudget/pi-qdrant", "HorizontalPodAutoscaler/pi-qdrant");
  }

  private static List<String> names(List<EnvVar> env) {
    return env.stream().map(EnvVar::getName).toList();
  }
}
