package io.pistack.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The desired stage: a pure function of the resolved stack, the plan and the live children's immutable parts. */
class DesiredStacksTest {
  static ResolvedStack stack(String specYaml) {
    return new ResolvedStack(Serialization.unmarshal("apiVersion: pistack.io/v1alpha1\nkind: PiStack\nmetadata:\n"
        + "  name: pi\n  namespace: ns\n  uid: u1\nspec:\n  version: \"2025_10.1\"\n  licence: {secretName: lic}\n"
        + specYaml, PiStack.class));
  }

  static List<String> keys(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }

  @Test
  void everyGeneratedSecretIsDesiredByShapeWithoutAValue() {
    DesiredStack d = DesiredStacks.fresh(stack("  qdrant: {enabled: true}\n"));
    assertThat(keys(d.objects())).filteredOn(k -> k.startsWith("Secret/"))
        .containsExactly("Secret/pi-db-credentials", "Secret/pi-db-root", "Secret/pi-db-backup",
            "Secret/pi-qdrant-api-key");
    assertThat(d.all(Secret.class)).allMatch(GeneratedSecret::isPlaceholder);
    Secret created = d.generated("pi-db-root").orElseThrow().withValue().apply("s3cret");
    assertThat(created.getStringData()).containsEntry("password", "s3cret");
    assertThat(d.generated("pi-db-credentials").orElseThrow().withValue().apply("x").getStringData())
        .containsEntry("username", "pi").containsEntry("password", "x");
  }

  @Test
  void anExternalDatabaseGeneratesNoSecretAndHasNoDataClaim() {
    DesiredStack d = DesiredStacks.fresh(stack("  database:\n    external: {host: db.example.com,"
        + " credentialsSecret: {name: creds}}\n"));
    assertThat(d.all(Secret.class)).isEmpty();
    assertThat(d.databaseClaim()).isEmpty();
    assertThat(keys(d.objects())).noneMatch(k -> k.startsWith("StatefulSet/"));
  }

  @Test
  void aPendingRestoreHoldsTheDatabasesUsersAtZeroWithoutAutoscalersAndItsJobComesLater() {
    DesiredStack d = DesiredStacks.fresh(stack("  restore: {backup: latest}\n"
        + "  dashboard: {autoscaling: {enabled: true}}\n  renderer: {autoscaling: {enabled: true}}\n"));
    assertThat(d.named(Deployment.class, "pi-dashboard").orElseThrow().getSpec().getReplicas()).isZero();
    assertThat(d.named(Deployment.class, "pi-scheduler").orElseThrow().getSpec().getReplicas()).isZero();
    assertThat(keys(d.all(HorizontalPodAutoscaler.class))).containsExactly("HorizontalPodAutoscaler/pi-renderer");
    assertThat(keys(d.objects())).noneMatch(k -> k.startsWith("Job/"));
    assertThat(keys(d.later())).singleElement().asString().startsWith("Job/pi-restore-");
  }

  @Test
  void aLiveClaimKeepsItsImmutableFieldsAndNeverShrinks() {
    ResolvedStack s = stack("  storage: {size: 5Gi, storageClassName: fast}\n");
    PersistentVolumeClaim live = new PersistentVolumeClaimBuilder().withNewMetadata().withName("pi-shared")
        .endMetadata().withNewSpec().withAccessModes("ReadWriteMany").withStorageClassName("slow")
        .withNewResources().addToRequests("storage", new Quantity("8Gi")).endResources().endSpec().build();
    LiveChildren children = new LiveChildren(Map.of(), Optional.empty(), Map.of("pi-shared", live));
    PersistentVolumeClaim desired = DesiredStacks.of(s, LifecyclePlan.open(s), children)
        .named(PersistentVolumeClaim.class, "pi-shared").orElseThrow();
    assertThat(desired.getSpec().getStorageClassName()).isEqualTo("slow");
    assertThat(desired.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
    assertThat(desired.getSpec().getResources().getRequests().get("storage")).isEqualTo(new Quantity("8Gi"));
    assertThat(DesiredStacks.fresh(s).named(PersistentVolumeClaim.class, "pi-shared").orElseThrow()
        .getSpec().getStorageClassName()).isEqualTo("fast");
  }

  @Test
  void whatItHandsOutIsACopy() {
    DesiredStack d = DesiredStacks.fresh(stack(""));
    d.named(Deployment.class, "pi-dashboard").orElseThrow().getMetadata().getLabels().put("changed", "yes");
    d.objects().forEach(o -> o.getMetadata().setName("changed"));
    assertThat(d.named(Deployment.class, "pi-dashboard").orElseThrow().getMetadata().getLabels())
        .doesNotContainKey("changed");
    assertThat(keys(d.objects())).doesNotContain("Deployment/changed");
  }

  @Test
  void theObjectsComeInTheWorkflowsApplyOrder() {
    List<String> order = keys(DesiredStacks.fresh(stack("  backup: {enabled: true}\n  ingress: {enabled: true,"
        + " host: pi.example.com}\n")).objects());
    assertThat(order).containsSubsequence("Secret/pi-db-credentials", "PersistentVolumeClaim/pi-shared",
        "Secret/pi-db-root", "StatefulSet/pi-db", "Service/pi-dashboard", "NetworkPolicy/pi-dashboard",
        "Deployment/pi-dashboard", "PodDisruptionBudget/pi-dashboard", "Ingress/pi",
        "PersistentVolumeClaim/pi-backups", "CronJob/pi-backup");
  }
}
