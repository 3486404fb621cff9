package io.pistack.operator.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Data outlives the PiStack: the shared volume, the backup volume, the database volume's retention
 * and the generated credentials survive deleting the PiStack (the mock has no garbage collector:
 * {@link GarbageCollector} plays it), a PiStack re-created with the same name adopts them with the
 * same password, and storage.deleteWithStack makes them owned (so the real collector deletes them).
 */
class DataOutlivesStackTest {
  static final String NS = "data";
  MockCluster cluster;

  @BeforeEach
  void start() {
    cluster = new MockCluster().startOperator();
    Stacks.licenceSecret(cluster.client, NS);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void deletingThePiStackKeepsTheDataAndRecreatingItAdoptsTheSamePassword() {
    PiStack first = cluster.client.resource(Stacks.sample("with-backups.yaml", NS)).create();
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(deployment("pi-dashboard")).isNotNull();
      assertThat(secret()).isNotNull();
      assertThat(rootSecret()).isNotNull();
      assertThat(backupSecret()).isNotNull();
      assertThat(pvc("pi-shared")).isNotNull();
      assertThat(pvc("pi-backups")).isNotNull();
    });
    String password = password(secret());
    String secretUid = secret().getMetadata().getUid();
    String rootPassword = password(rootSecret());
    String rootUid = rootSecret().getMetadata().getUid();
    String backupPassword = password(backupSecret());
    String backupUid = backupSecret().getMetadata().getUid();
    String sharedUid = pvc("pi-shared").getMetadata().getUid();
    String backupsUid = pvc("pi-backups").getMetadata().getUid();
    assertThat(cluster.client.apps().statefulSets().inNamespace(NS).withName("pi-db").get().getSpec()
        .getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
    for (HasMetadata data : List.of(secret(), rootSecret(), backupSecret(), pvc("pi-shared"), pvc("pi-backups"))) {
      assertThat(data.getMetadata().getOwnerReferences()).as(data.getMetadata().getName()).isEmpty();
    }

    cluster.client.resource(first).delete();
    await().atMost(Duration.ofSeconds(10)).until(() -> stack() == null);
    List<String> collected = GarbageCollector.collect(cluster.client, NS, first.getMetadata().getUid());
    assertThat(collected).contains("Deployment/pi-dashboard", "StatefulSet/pi-db", "CronJob/pi-backup");
    assertThat(collected).noneMatch(o -> o.startsWith("Secret/") || o.startsWith("PersistentVolumeClaim/"));
    assertThat(deployment("pi-dashboard")).isNull();

    long recreated = System.nanoTime();
    PiStack second = cluster.client.resource(Stacks.sample("with-backups.yaml", NS)).create();
    assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(deployment("pi-dashboard")).isNotNull();
      assertThat(cluster.client.apps().statefulSets().inNamespace(NS).withName("pi-db").get()).isNotNull();
    });
    // Adopted, not regenerated: the same object, the same password.
    assertThat(secret().getMetadata().getUid()).isEqualTo(secretUid);
    assertThat(password(secret())).isEqualTo(password);
    assertThat(rootSecret().getMetadata().getUid()).isEqualTo(rootUid);
    assertThat(password(rootSecret())).isEqualTo(rootPassword);
    assertThat(backupSecret().getMetadata().getUid()).isEqualTo(backupUid);
    assertThat(password(backupSecret())).isEqualTo(backupPassword);
    assertThat(pvc("pi-shared").getMetadata().getUid()).isEqualTo(sharedUid);
    assertThat(pvc("pi-backups").getMetadata().getUid()).isEqualTo(backupsUid);
    var dashboardEnv = deployment("pi-dashboard").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(dashboardEnv).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PI_DB_PASSWORD");
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-db-credentials");
    });
    var dbEnv = cluster.client.apps().statefulSets().inNamespace(NS).withName("pi-db").get().getSpec()
        .getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(dbEnv).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("MARIADB_ROOT_PASSWORD");
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-db-root");
    });
    // The new stack's reconcile ran to the end (its status observed it) before nothing else is asserted.
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.reconciles().completedSince(NS, "pi", recreated)
        && stack() != null && stack().getStatus() != null && stack().getStatus().observedGeneration != null);
    assertThat(cluster.client.secrets().inNamespace(NS).list().getItems())
        .extracting(s -> s.getMetadata().getName()).containsExactlyInAnyOrder("pi-licence", "pi-db-credentials", "pi-db-root",
            "pi-db-backup");
    assertThat(secret().getMetadata().getOwnerReferences()).isEmpty();
  }

  @Test
  void deleteWithStackOwnsTheDataAndTurningItOffReleasesTheCredentials() {
    PiStack stack = Stacks.sample("with-backups.yaml", NS);
    stack.getSpec().storage.deleteWithStack = true;
    String uid = cluster.client.resource(stack).create().getMetadata().getUid();

    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (HasMetadata data : List.of(secret(), rootSecret(), backupSecret(), pvc("pi-shared"), pvc("pi-backups"))) {
        assertThat(data.getMetadata().getOwnerReferences()).as(data.getMetadata().getName())
            .extracting(OwnerReference::getUid).containsExactly(uid);
      }
      assertThat(cluster.client.apps().statefulSets().inNamespace(NS).withName("pi-db").get().getSpec()
          .getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Delete");
    });
    String password = password(secret());

    // The credentials Secret is never re-applied (its password must not change), so its owner
    // reference follows the opt-in through a targeted edit.
    Stacks.edit(cluster.client, NS, "pi", s -> s.getSpec().storage.deleteWithStack = false);
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(secret().getMetadata().getOwnerReferences()).isEmpty();
      assertThat(rootSecret().getMetadata().getOwnerReferences()).isEmpty();
      assertThat(backupSecret().getMetadata().getOwnerReferences()).isEmpty();
    });
    assertThat(password(secret())).isEqualTo(password);
  }

  @Test
  void optingInLaterOwnsTheExistingCredentials() {
    PiStack created = cluster.client.resource(Stacks.sample("with-backups.yaml", NS)).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> secret() != null && pvc("pi-shared") != null);
    String password = password(secret());
    assertThat(secret().getMetadata().getOwnerReferences()).isEmpty();

    Stacks.edit(cluster.client, NS, "pi", s -> {
      s.getSpec().storage = s.getSpec().storage == null ? new StorageSpec() : s.getSpec().storage;
      s.getSpec().storage.deleteWithStack = true;
    });
    await().ignoreExceptions().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      for (HasMetadata data : List.of(secret(), rootSecret(), backupSecret(), pvc("pi-shared"), pvc("pi-backups"))) {
        assertThat(data.getMetadata().getOwnerReferences()).as(data.getMetadata().getName())
            .extracting(OwnerReference::getUid).containsExactly(created.getMetadata().getUid());
      }
    });
    assertThat(password(secret())).isEqualTo(password);
  }

  private static String password(Secret s) {
    if (s.getData() != null && s.getData().get("password") != null) {
      return new String(Base64.getDecoder().decode(s.getData().get("password")), StandardCharsets.UTF_8);
    }
    return s.getStringData().get("password");
  }

  private Secret backupSecret() {
    return cluster.client.secrets().inNamespace(NS).withName("pi-db-backup").get();
  }

  private Secret rootSecret() {
    return cluster.client.secrets().inNamespace(NS).withName("pi-db-root").get();
  }

  private Secret secret() {
    return cluster.client.secrets().inNamespace(NS).withName("pi-db-credentials").get();
  }

  private io.fabric8.kubernetes.api.model.PersistentVolumeClaim pvc(String name) {
    return cluster.client.persistentVolumeClaims().inNamespace(NS).withName(name).get();
  }

  private Deployment deployment(String name) {
    return cluster.client.apps().deployments().inNamespace(NS).withName(name).get();
  }

  private PiStack stack() {
    return cluster.client.resources(PiStack.class).inNamespace(NS).withName("pi").get();
  }
}
