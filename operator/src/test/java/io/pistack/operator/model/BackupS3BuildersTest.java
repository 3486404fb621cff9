package io.pistack.operator.model;

import io.pistack.operator.desired.DesiredStacks;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.pistack.operator.api.v1alpha1.S3StorageSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.backup.storage.s3: the pods of the backup and restore Jobs with an S3 target. */
class BackupS3BuildersTest {
  static final String S3 = "  version: \"2025_10.1\"\n  backup:\n    enabled: true\n    storage:\n      s3:\n"
      + "        bucket: pi-backups\n        region: eu-west-2\n        endpoint: https://minio.example.com:9000\n"
      + "        credentials: {secretName: pi-s3}\n        objectLock: {mode: COMPLIANCE, days: 30}\n";

  @Test
  void aBackupDumpsInAnInitContainerAndUploadsWithTheAwsCli() {
    CronJob cj = BackupCronJobBuilder.build(TestStacks.resolved(S3));
    var job = cj.getSpec().getJobTemplate().getSpec();
    PodSpec pod = job.getTemplate().getSpec();
    assertThat(pod.getInitContainers()).extracting(Container::getName).containsExactly("backup");
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("upload");
    Container dump = pod.getInitContainers().get(0);
    Container upload = pod.getContainers().get(0);
    assertThat(dump.getCommand()).containsExactlyElementsOf(io.pistack.operator.model.ScriptCommands.of("backup.sh"));
    assertThat(dump.getImage()).isEqualTo("docker.io/library/mariadb:10.11");
    assertThat(upload.getCommand()).containsExactlyElementsOf(io.pistack.operator.model.ScriptCommands.of("s3.sh", "upload"));
    assertThat(upload.getImage()).isEqualTo(S3StorageSpec.DEFAULT_IMAGE);
    assertThat(value(upload, "S3_BUCKET")).isEqualTo("pi-backups");
    assertThat(value(upload, "S3_PREFIX")).as("default prefix: namespace and stack name").isEqualTo("ns/pi/");
    assertThat(value(upload, "S3_REGION")).isEqualTo("eu-west-2");
    assertThat(value(upload, "S3_ENDPOINT")).isEqualTo("https://minio.example.com:9000");
    assertThat(value(upload, "S3_LOCK_MODE")).isEqualTo("COMPLIANCE");
    assertThat(value(upload, "S3_LOCK_DAYS")).isEqualTo("30");
    assertThat(value(upload, "BACKUP_DIR")).isEqualTo(value(dump, "BACKUP_DIR")).isEqualTo("/backups");
    // The backup directory is the pod's scratch space; no backup claim exists.
    assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("backups")).singleElement()
        .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull())
        .satisfies(v -> assertThat(v.getPersistentVolumeClaim()).isNull());
    assertThat(mount(upload, "backups").getReadOnly()).isTrue();
    assertThat(mount(dump, "backups").getReadOnly()).isNotEqualTo(true);
    assertThat(mount(dump, "shared").getReadOnly()).isTrue();
    assertThat(upload.getVolumeMounts()).extracting(VolumeMount::getName).doesNotContain("shared");
    assertThat(TestStacks.resolved(S3).backup().createsClaim()).isFalse();
    // Exit code 2 of either container (bad input) fails the Job at once; the names exist in the pod.
    assertThat(job.getPodFailurePolicy().getRules()).filteredOn(r -> r.getOnExitCodes() != null)
        .extracting(r -> r.getOnExitCodes().getContainerName()).containsExactly("backup", "upload");
    assertThat(upload.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(upload.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(upload.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(upload.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
  }

  @Test
  void eachContainerGetsOnlyItsOwnCredentialsAndOnlyAsSecretKeyRefs() {
    ResolvedStack stack = TestStacks.resolved(S3 + "  restore:\n    backup: latest\n");
    PodSpec backup = BackupCronJobBuilder.build(stack).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    Container dump = backup.getInitContainers().get(0);
    Container upload = backup.getContainers().get(0);
    EnvVar key = env(upload, "AWS_ACCESS_KEY_ID");
    EnvVar secret = env(upload, "AWS_SECRET_ACCESS_KEY");
    assertThat(key.getValue()).isNull();
    assertThat(key.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-s3");
    assertThat(key.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("AWS_ACCESS_KEY_ID");
    assertThat(secret.getValue()).isNull();
    assertThat(secret.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("AWS_SECRET_ACCESS_KEY");
    assertThat(upload.getEnv()).extracting(EnvVar::getName).noneMatch(n -> n.startsWith("DB_"));
    assertThat(dump.getEnv()).extracting(EnvVar::getName).noneMatch(n -> n.startsWith("AWS_") || n.startsWith("S3_"));
    for (Container c : List.of(dump, upload)) {
      assertThat(c.getArgs()).isNullOrEmpty();
      // The command is the script's text from the jar (which names the variables it reads), and nothing else.
      assertThat(c.getCommand().get(2)).isIn(ScriptCommands.jarText("backup.sh"), ScriptCommands.jarText("s3.sh"));
      List<String> rest = new java.util.ArrayList<>(c.getCommand());
      rest.remove(2);
      assertThat(String.join(" ", rest)).doesNotContain("AWS").doesNotContain("pi-s3");
    }
    var cronJob = BackupCronJobBuilder.build(stack);
    var restoreJob = BackupJobBuilder.restore(stack, stack.backup().restore().orElseThrow());
    for (var pod : List.of(cronJob.getSpec().getJobTemplate().getSpec().getTemplate().getSpec(),
        restoreJob.getSpec().getTemplate().getSpec())) {
      java.util.stream.Stream.concat(pod.getContainers().stream(), pod.getInitContainers().stream())
          .forEach(x -> x.getCommand().set(2, "<script>"));
    }
    String yaml = Serialization.asYaml(cronJob) + Serialization.asYaml(restoreJob);
    assertThat(yaml.lines().filter(l -> l.contains("AWS_SECRET_ACCESS_KEY")).count())
        .as("the variable in both Jobs and the key name in both secretKeyRefs").isEqualTo(4);
  }

  @Test
  void withoutCredentialsThePodsUseWorkloadIdentityThroughTheirServiceAccount() {
    ResolvedStack stack = TestStacks.resolved("  version: \"2025_10.1\"\n  backup:\n    enabled: true\n"
        + "    storage:\n      s3:\n        bucket: pi-backups\n        prefix: prod/pi\n"
        + "        serviceAccountName: pi-backup-irsa\n        image: registry.example.com/aws-cli:2.27.0\n");
    PodSpec pod = BackupCronJobBuilder.build(stack).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    Container upload = pod.getContainers().get(0);
    assertThat(pod.getServiceAccountName()).isEqualTo("pi-backup-irsa");
    assertThat(upload.getEnv()).extracting(EnvVar::getName).noneMatch(n -> n.startsWith("AWS_"))
        .doesNotContain("S3_ENDPOINT", "S3_LOCK_MODE", "S3_LOCK_DAYS");
    assertThat(value(upload, "S3_REGION")).isEqualTo("us-east-1");
    assertThat(value(upload, "S3_PREFIX")).isEqualTo("prod/pi/");
    assertThat(upload.getImage()).isEqualTo("registry.example.com/aws-cli:2.27.0");
    assertThat(stack.backup().location("scheduled-20250131T020003Z"))
        .isEqualTo("s3://pi-backups/prod/pi/scheduled-20250131T020003Z");
    // A volume target keeps its pvc: location and its single container.
    ResolvedStack volume = TestStacks.resolved(BackupBuildersTest.BACKUPS_ON);
    assertThat(volume.backup().location("x")).isEqualTo("pvc:pi-backups/x");
    PodSpec plain = BackupCronJobBuilder.build(volume).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(plain.getInitContainers()).isNullOrEmpty();
    assertThat(plain.getServiceAccountName()).isNull();
  }

  @Test
  void aRestoreFetchesTheRequestedBackupThenRestoresIt() {
    ResolvedStack stack = TestStacks.resolved(S3 + "  restore:\n    backup: scheduled-20250131T020003Z\n");
    Job job = BackupJobBuilder.restore(stack, stack.backup().restore().orElseThrow());
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Container fetch = pod.getInitContainers().get(0);
    Container restore = pod.getContainers().get(0);
    assertThat(fetch.getName()).isEqualTo("fetch");
    assertThat(fetch.getCommand()).containsExactlyElementsOf(io.pistack.operator.model.ScriptCommands.of("s3.sh", "fetch"));
    assertThat(value(fetch, "RESTORE_BACKUP")).isEqualTo("scheduled-20250131T020003Z");
    assertThat(fetch.getEnv()).extracting(EnvVar::getName).doesNotContain("S3_LOCK_MODE");
    assertThat(mount(fetch, "backups").getReadOnly()).isNotEqualTo(true);
    assertThat(restore.getName()).isEqualTo("restore");
    // The scratch directory holds exactly the fetched backup, under its name: restored by that name, so a backup named
    // by the user is restored even when its name is dated in the future (which "latest" ignores).
    assertThat(value(restore, "RESTORE_BACKUP")).isEqualTo("scheduled-20250131T020003Z");
    assertThat(mount(restore, "backups").getReadOnly()).isTrue();
    assertThat(mount(restore, "shared").getReadOnly()).isNotEqualTo(true);
    List<PodFailurePolicyRule> rules = job.getSpec().getPodFailurePolicy().getRules();
    assertThat(rules).extracting(r -> r.getOnExitCodes().getContainerName())
        .containsExactly("restore", "restore", "fetch");
    assertThat(rules.get(2).getOnExitCodes().getValues()).containsExactly(BackupJobBuilder.EXIT_BAD_INPUT);
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(BackupJobBuilder.RESTORE_BACKUP, "scheduled-20250131T020003Z");
  }

  @Test
  void noBackupClaimIsDesiredWithAnS3Target() {
    List<HasMetadata> all = DesiredStacks.fresh(TestStacks.resolved(S3)).objects();
    assertThat(all).filteredOn(o -> o instanceof PersistentVolumeClaim)
        .extracting(o -> o.getMetadata().getName()).doesNotContain("pi-backups");
    assertThat(all).filteredOn(o -> o instanceof CronJob).hasSize(1);
  }

  @Test
  void theVerificationPodRestoresIntoItsOwnScratchSpaceWithoutCredentialsOrTheSharedVolume() {
    for (String spec : List.of(BackupBuildersTest.BACKUPS_ON + "    verify: {keyTables: [mis_user, mis_category]}\n",
        S3)) {
      ResolvedStack stack = TestStacks.resolved(spec);
      Job job = BackupJobBuilder.verify(stack, "scheduled-20250131T020003Z");
      assertThat(job.getMetadata().getName()).isEqualTo(JobNames.verify(stack, "scheduled-20250131T020003Z"))
          .startsWith("pi-verify-");
      assertThat(job.getMetadata().getLabels()).containsEntry(BackupCronJobBuilder.JOB_KIND, BackupJobBuilder.VERIFY);
      assertThat(job.getSpec().getBackoffLimit()).isZero();
      PodSpec pod = job.getSpec().getTemplate().getSpec();
      Container verify = pod.getContainers().get(0);
      assertThat(verify.getCommand()).containsExactlyElementsOf(io.pistack.operator.model.ScriptCommands.of("verify.sh"));
      assertThat(value(verify, "VERIFY_BACKUP")).isEqualTo("scheduled-20250131T020003Z");
      assertThat(value(verify, "WORK_DIR")).isEqualTo("/verify");
      assertThat(verify.getEnv()).extracting(EnvVar::getName).noneMatch(n -> n.startsWith("DB_") && !n.equals("DB_SCHEMA"))
          .noneMatch(n -> n.startsWith("AWS_"));
      assertThat(verify.getVolumeMounts()).extracting(VolumeMount::getName).doesNotContain("shared");
      assertThat(mount(verify, "backups").getReadOnly()).isTrue();
      assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("verify")).singleElement()
          .satisfies(v -> assertThat(v.getEmptyDir()).isNotNull());
      assertThat(pod.getVolumes()).noneMatch(v -> v.getPersistentVolumeClaim() != null
          && v.getPersistentVolumeClaim().getClaimName().equals("pi-shared"));
      if (spec.equals(S3)) {
        assertThat(pod.getInitContainers()).extracting(Container::getName).containsExactly("fetch");
        assertThat(value(pod.getInitContainers().get(0), "RESTORE_BACKUP")).isEqualTo("scheduled-20250131T020003Z");
        assertThat(value(verify, "VERIFY_KEY_TABLES")).isEqualTo("mis_user");
      } else {
        assertThat(pod.getInitContainers()).isNullOrEmpty();
        assertThat(value(verify, "VERIFY_KEY_TABLES")).isEqualTo("mis_user mis_category");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getName().equals("backups")).singleElement()
            .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("pi-backups"));
      }
    }
  }

  private static EnvVar env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + c.getName()));
  }

  private static String value(Container c, String name) {
    return env(c, name).getValue();
  }

  private static VolumeMount mount(Container c, String volume) {
    return c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
        .orElseThrow(() -> new AssertionError(volume + " not mounted in " + c.getName()));
  }
}
