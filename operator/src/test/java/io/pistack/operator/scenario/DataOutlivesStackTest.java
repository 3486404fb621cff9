package io.pistack.operator.scenario;

import static io.pistack.operator.scenario.Cluster.PI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Data outlives the PiStack: the shared volume, the backup volume, the database's volume and the
 * generated credentials survive deleting the PiStack (the real garbage collector, or the mock's
 * stand-in, takes everything else), a PiStack re-created with the same name adopts them with the
 * same passwords; with storage.deleteWithStack they are owned (turning it off releases the
 * credentials, turning it on again owns the existing ones) and go with it. Written once, run on both
 * tiers (replaces it/DataOutlivesStackTest and OperatorOnRealApiTest's two deletion tests).
 */
class DataOutlivesStackTest {
  static final List<String> SECRETS = List.of("pi-db-credentials", "pi-db-root", "pi-db-backup");
  static final List<String> CLAIMS = List.of("pi-shared", "pi-backups", "data-pi-db-0");

  @ScenarioTest
  void deletingThePiStackKeepsTheDataAndRecreatingItAdoptsTheSamePasswords(Cluster cluster) {
    PiStack first = cluster.create(Fixtures.WITH_BACKUPS);
    cluster.awaitConverged(PI);
    await().atMost(cluster.timeout()).until(() -> cluster.child(PersistentVolumeClaim.class, "data-pi-db-0") != null);
    Map<String, String> uids = dataUids(cluster);
    Map<String, String> passwords = SECRETS.stream().collect(Collectors.toMap(Function.identity(),
        s -> password(cluster.child(Secret.class, s))));
    assertThat(cluster.child(StatefulSet.class, "pi-db").getSpec().getPersistentVolumeClaimRetentionPolicy()
        .getWhenDeleted()).isEqualTo("Retain");
    for (HasMetadata data : data(cluster)) {
      assertThat(data.getMetadata().getOwnerReferences()).as(data.getMetadata().getName()).isEmpty();
    }
    assertThat(cluster.child(CronJob.class, "pi-backup")).isNotNull();

    cluster.delete(PI);
    assertThat(cluster.names(Deployment.class)).isEmpty();
    assertThat(cluster.names(StatefulSet.class)).isEmpty();
    assertThat(cluster.names(CronJob.class)).isEmpty();
    assertThat(cluster.child(io.fabric8.kubernetes.api.model.Service.class, "pi-dashboard")).isNull();
    assertThat(dataUids(cluster)).as("the data, kept as it was").isEqualTo(uids);

    PiStack second = cluster.create(Fixtures.WITH_BACKUPS);
    assertThat(second.getMetadata().getUid()).isNotEqualTo(first.getMetadata().getUid());
    assertThat(Conditions.find(cluster.awaitConverged(PI).getStatus().conditions, ConditionType.READY).getReason())
        .isEqualTo("AllComponentsReady");
    // Adopted, not regenerated: the same objects, the same passwords.
    assertThat(dataUids(cluster)).isEqualTo(uids);
    for (String s : SECRETS) {
      assertThat(password(cluster.child(Secret.class, s))).as(s).isEqualTo(passwords.get(s));
    }
    var dashboardEnv = cluster.child(Deployment.class, "pi-dashboard").getSpec().getTemplate().getSpec()
        .getContainers().get(0).getEnv();
    assertThat(dashboardEnv).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PI_DB_PASSWORD");
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-db-credentials");
    });
    var dbEnv = cluster.child(StatefulSet.class, "pi-db").getSpec().getTemplate().getSpec().getContainers().get(0)
        .getEnv();
    assertThat(dbEnv).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("MARIADB_ROOT_PASSWORD");
      assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-db-root");
    });
    assertThat(cluster.names(Secret.class)).filteredOn(n -> !n.startsWith("default-token"))
        .containsExactlyInAnyOrder("pi-licence", "pi-db-credentials", "pi-db-root", "pi-db-backup");
    assertThat(cluster.child(Secret.class, "pi-db-credentials").getMetadata().getOwnerReferences()).isEmpty();
  }

  @ScenarioTest
  void deleteWithStackOwnsTheDataTurningItOffReleasesItAndDeletingTheStackDeletesIt(Cluster cluster) {
    String uid = cluster.create(Fixtures.WITH_BACKUPS.with("storage.deleteWithStack", s -> {
      s.getSpec().storage = s.getSpec().storage == null ? new StorageSpec() : s.getSpec().storage;
      s.getSpec().storage.deleteWithStack = true;
    })).getMetadata().getUid();
    cluster.awaitConverged(PI);
    assertThat(cluster.child(StatefulSet.class, "pi-db").getSpec().getPersistentVolumeClaimRetentionPolicy()
        .getWhenDeleted()).isEqualTo("Delete");
    assertOwnedBy(cluster, uid);
    String password = password(cluster.child(Secret.class, "pi-db-credentials"));

    // The credentials Secrets are never re-applied (their passwords must not change), so their owner
    // reference follows the opt-in through a targeted edit: off releases them...
    cluster.edit(PI, s -> s.getSpec().storage.deleteWithStack = false);
    await().atMost(cluster.timeout()).untilAsserted(() -> {
      for (String name : SECRETS) {
        assertThat(cluster.child(Secret.class, name).getMetadata().getOwnerReferences()).as(name).isEmpty();
      }
    });
    assertThat(password(cluster.child(Secret.class, "pi-db-credentials"))).isEqualTo(password);

    // ...and opting in later owns the existing ones again.
    cluster.edit(PI, s -> s.getSpec().storage.deleteWithStack = true);
    await().atMost(cluster.timeout()).untilAsserted(() -> assertOwnedBy(cluster, uid));
    assertThat(password(cluster.child(Secret.class, "pi-db-credentials"))).isEqualTo(password);
    cluster.awaitConverged(PI);
    await().atMost(cluster.timeout()).until(() -> cluster.child(PersistentVolumeClaim.class, "data-pi-db-0") != null);

    cluster.delete(PI);
    await().atMost(cluster.timeout()).untilAsserted(() -> {
      for (HasMetadata data : data(cluster)) {
        assertThat(data).as("data left after deleting a stack with deleteWithStack").isNull();
      }
    });
  }

  /** Every Secret holding credentials and the shared and backup claims name the stack as owner. */
  private static void assertOwnedBy(Cluster cluster, String uid) {
    List<HasMetadata> owned = new java.util.ArrayList<>();
    SECRETS.forEach(s -> owned.add(cluster.child(Secret.class, s)));
    owned.add(cluster.child(PersistentVolumeClaim.class, "pi-shared"));
    owned.add(cluster.child(PersistentVolumeClaim.class, "pi-backups"));
    for (HasMetadata data : owned) {
      assertThat(data.getMetadata().getOwnerReferences()).as(data.getMetadata().getName())
          .extracting(OwnerReference::getUid).containsExactly(uid);
    }
  }

  private static List<HasMetadata> data(Cluster cluster) {
    List<HasMetadata> data = new java.util.ArrayList<>();
    SECRETS.forEach(s -> data.add(cluster.child(Secret.class, s)));
    CLAIMS.forEach(c -> data.add(cluster.child(PersistentVolumeClaim.class, c)));
    return data;
  }

  /** name → uid of every Secret and claim that holds data (null when absent). */
  private static Map<String, String> dataUids(Cluster cluster) {
    Map<String, String> uids = new java.util.TreeMap<>();
    SECRETS.forEach(s -> uids.put(s, uid(cluster.child(Secret.class, s))));
    CLAIMS.forEach(c -> uids.put(c, uid(cluster.child(PersistentVolumeClaim.class, c))));
    return uids;
  }

  private static String uid(HasMetadata o) {
    return o == null ? null : o.getMetadata().getUid();
  }

  private static String password(Secret s) {
    if (s.getData() != null && s.getData().get("password") != null) {
      return new String(Base64.getDecoder().decode(s.getData().get("password")), StandardCharsets.UTF_8);
    }
    return s.getStringData().get("password");
  }
}
