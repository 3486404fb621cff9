package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.api.v1alpha1.DatabaseSpec;
import io.pistack.operator.api.v1alpha1.EmbeddedDatabaseSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import io.pistack.operator.api.v1alpha1.VolumeRules;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.status.ConditionType;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Growing the database, shared and backup volumes on the real API server. There is no provisioner, so
 * the test binds each claim to a volume it creates (claimRef) in a StorageClass that allows
 * expansion; the API server lets only bound claims of such a class grow. Without the fix, a grown
 * database.embedded.storageSize was refused at admission (the old rule) or, where the section was
 * new, failed every later StatefulSet apply (its claim template is immutable).
 */
class VolumeGrowthOnRealApiTest {
  @Test
  void volumesGrowInPlaceNeverShrinkAndTheStatefulSetKeepsApplying() {
    try (RealApiStack env = new RealApiStack("grow")) {
      String expandable = "expandable-" + env.ns;
      env.admin.resource(new StorageClassBuilder().withNewMetadata().withName(expandable).endMetadata()
          .withProvisioner("kubernetes.io/no-provisioner").withAllowVolumeExpansion(true).build()).create();
      try {
        volume(env, "data-pi-db-0", "10Gi", "ReadWriteOnce", expandable);
        volume(env, "pi-shared", "5Gi", "ReadWriteMany", expandable);
        PiStack s = env.smallStack();
        s.getSpec().database = new DatabaseSpec();
        s.getSpec().database.embedded = new EmbeddedDatabaseSpec();
        s.getSpec().database.embedded.storageSize = "10Gi";
        s.getSpec().database.embedded.storageClassName = expandable;
        s.getSpec().storage = new StorageSpec();
        s.getSpec().storage.storageClassName = expandable;
        env.admin.resource(s).create();
        await().atMost(RealApiStack.T).until(() -> bound(env, "data-pi-db-0") && bound(env, "pi-shared"));

        edit(env, p -> {
          p.getSpec().database.embedded.storageSize = "20Gi";
          p.getSpec().storage.size = "8Gi";
        });
        await().atMost(RealApiStack.T).untilAsserted(() -> {
          assertThat(request(env, "data-pi-db-0")).isEqualTo("20Gi");
          assertThat(request(env, "pi-shared")).isEqualTo("8Gi");
        });
        // The StatefulSet keeps the template it was created with, and keeps applying: a new image rolls.
        edit(env, p -> p.getSpec().database.embedded.image = "docker.io/library/mariadb:10.11.9");
        await().atMost(RealApiStack.T).untilAsserted(() -> {
          StatefulSet sts = env.admin.apps().statefulSets().inNamespace(env.ns).withName("pi-db").get();
          assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).endsWith("10.11.9");
          assertThat(sts.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests()
              .get("storage")).isEqualTo(new Quantity("10Gi"));
        });
        assertThat(env.readyReason()).isNotEqualTo("ReconcileFailed");

        // Shrinking and changing the class are refused at admission, each with its sentence.
        refused(env, p -> p.getSpec().database.embedded.storageSize = "15Gi", VolumeRules.DB_GROWS_MESSAGE);
        refused(env, p -> p.getSpec().database.embedded = null, VolumeRules.DB_GROWS_MESSAGE);
        refused(env, p -> p.getSpec().database.embedded.storageClassName = "other", VolumeRules.DB_CLASS_MESSAGE);
        refused(env, p -> p.getSpec().storage.size = "5Gi", VolumeRules.SHARED_GROWS_MESSAGE);
        refused(env, p -> p.getSpec().storage.storageClassName = null, VolumeRules.SHARED_CLASS_MESSAGE);
        // Growing again passes and reaches the claim.
        edit(env, p -> p.getSpec().database.embedded.storageSize = "30Gi");
        await().atMost(RealApiStack.T).until(() -> "30Gi".equals(request(env, "data-pi-db-0")));
      } finally {
        env.admin.storage().v1().storageClasses().withName(expandable).delete();
        env.admin.persistentVolumes().withName(env.ns + "-data-pi-db-0").delete();
        env.admin.persistentVolumes().withName(env.ns + "-pi-shared").delete();
      }
    }
  }

  /**
   * The backup volume: its claim {@code <stack>-backups} grows in place (through the same code as the
   * shared one, proven here on its own), and shrinking or changing its class is refused at admission.
   */
  @Test
  void theBackupVolumeGrowsInPlaceAndNeverShrinks() {
    try (RealApiStack env = new RealApiStack("backupgrow")) {
      String expandable = "expandable-" + env.ns;
      env.admin.resource(new StorageClassBuilder().withNewMetadata().withName(expandable).endMetadata()
          .withProvisioner("kubernetes.io/no-provisioner").withAllowVolumeExpansion(true).build()).create();
      try {
        volume(env, "pi-backups", "20Gi", "ReadWriteOnce", expandable);
        PiStack s = Stacks.sample("with-backups.yaml", env.ns);
        assertThat(s.getSpec().backup.storage.size).isEqualTo("20Gi");
        s.getSpec().backup.storage.storageClassName = expandable;
        env.admin.resource(s).create();
        await().atMost(RealApiStack.T).until(() -> bound(env, "pi-backups"));
        assertThat(request(env, "pi-backups")).isEqualTo("20Gi");

        refused(env, p -> p.getSpec().backup.storage.size = "10Gi", VolumeRules.BACKUP_GROWS_MESSAGE);
        refused(env, p -> p.getSpec().backup.storage.storageClassName = "other", VolumeRules.BACKUP_CLASS_MESSAGE);
        edit(env, p -> p.getSpec().backup.storage.size = "25Gi");
        await().atMost(RealApiStack.T).until(() -> "25Gi".equals(request(env, "pi-backups")));
        assertThat(env.readyReason()).isNotEqualTo("ReconcileFailed");
      } finally {
        env.admin.storage().v1().storageClasses().withName(expandable).delete();
        env.admin.persistentVolumes().withName(env.ns + "-pi-backups").delete();
      }
    }
  }

  /**
   * A grow the API server refuses (here: a claim whose storage class does not allow expansion) is a
   * condition naming the claim, not a stack trace; the StatefulSet still applies.
   */
  @Test
  void aRefusedResizeIsACondition() {
    try (RealApiStack env = new RealApiStack("noexpand", RealApiStack.claim("pi-shared", "5Gi", "ReadWriteMany"),
        RealApiStack.claim("data-pi-db-0", "10Gi", "ReadWriteOnce"))) {
      env.admin.resource(env.smallStack()).create();
      await().atMost(RealApiStack.T).until(() -> bound(env, "data-pi-db-0"));
      edit(env, p -> {
        p.getSpec().database = new DatabaseSpec();
        p.getSpec().database.embedded = new EmbeddedDatabaseSpec();
        p.getSpec().database.embedded.storageSize = "20Gi";
      });
      await().atMost(RealApiStack.T).ignoreExceptions().untilAsserted(() -> {
        Condition ready = env.stack().getStatus().conditions.stream()
            .filter(c -> ConditionType.READY.wire().equals(c.getType())).findFirst().orElseThrow();
        assertThat(ready.getReason()).isEqualTo("ReconcileFailed");
        assertThat(ready.getMessage()).contains("data-pi-db-0").doesNotContain("20Gi")
            .doesNotContainPattern(io.pistack.operator.catalogue.Catalogue.JAVA_LEAK);
      });
      assertThat(request(env, "data-pi-db-0")).isEqualTo("10Gi");
      edit(env, p -> p.getSpec().database.embedded.image = "docker.io/library/mariadb:10.11.9");
      await().atMost(RealApiStack.T).until(() -> env.admin.apps().statefulSets().inNamespace(env.ns)
          .withName("pi-db").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage()
          .endsWith("10.11.9"));
    }
  }

  private static void volume(RealApiStack env, String claim, String size, String mode, String storageClass) {
    env.admin.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata()
        .withName(env.ns + "-" + claim).endMetadata()
        .withNewSpec().addToCapacity("storage", new Quantity(size)).withAccessModes(mode)
        .withStorageClassName(storageClass).withPersistentVolumeReclaimPolicy("Retain")
        .withNewHostPath().withPath("/tmp/" + env.ns + "-" + claim).endHostPath()
        .withNewClaimRef().withNamespace(env.ns).withName(claim).endClaimRef()
        .endSpec().build()).create();
  }

  private static boolean bound(RealApiStack env, String claim) {
    PersistentVolumeClaim c = env.admin.persistentVolumeClaims().inNamespace(env.ns).withName(claim).get();
    return c != null && c.getStatus() != null && "Bound".equals(c.getStatus().getPhase());
  }

  private static String request(RealApiStack env, String claim) {
    PersistentVolumeClaim c = env.admin.persistentVolumeClaims().inNamespace(env.ns).withName(claim).get();
    return c == null ? null : c.getSpec().getResources().getRequests().get("storage").toString();
  }

  private static void edit(RealApiStack env, Consumer<PiStack> change) {
    Stacks.edit(env.admin, env.ns, "pi", change);
  }

  private static void refused(RealApiStack env, Consumer<PiStack> change, String sentence) {
    assertThatThrownBy(() -> edit(env, change))
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(sentence);
  }
}
