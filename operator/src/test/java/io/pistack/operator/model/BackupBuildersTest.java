package io.pistack.operator.model;

import io.pistack.operator.desired.DesiredStacks;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupBuildersTest {
  static final String BACKUPS_ON = "  version: \"2025_10.1\"\n  backup:\n    enabled: true\n";

  @Test
  void aResolvedStackResolvesItsBackupSettingsOnceAndItsVariantsTheirOwn() {
    ResolvedStack stack = TestStacks.resolved(BACKUPS_ON);
    assertThat(stack.backup()).isSameAs(stack.backup());
    assertThat(stack.backup().stack()).isSameAs(stack);
    ResolvedStack running = stack.withVersion("2025_04.1");
    assertThat(running.backup()).isNotSameAs(stack.backup());
    assertThat(running.backup().stack()).isSameAs(running);
  }

  @Test
  void cronJobDefaultsToNightlyWithoutOverlapAndKeepsSeven() {
    CronJob cj = BackupCronJobBuilder.build(TestStacks.resolved(BACKUPS_ON));
    assertThat(cj.getMetadata().getName()).isEqualTo("pi-backup");
    assertThat(cj.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.OPERATOR)
        .containsEntry(Labels.INSTANCE, "pi");
    var spec = cj.getSpec();
    assertThat(spec.getSchedule()).isEqualTo("0 2 * * *");
    assertThat(spec.getTimeZone()).isNull();
    assertThat(spec.getConcurrencyPolicy()).isEqualTo("Forbid");
    assertThat(spec.getSuccessfulJobsHistoryLimit()).isEqualTo(3);
    assertThat(spec.getFailedJobsHistoryLimit()).isEqualTo(3);
    assertThat(spec.getJobTemplate().getMetadata().getLabels())
        .containsEntry(BackupCronJobBuilder.JOB_KIND, BackupCronJobBuilder.SCHEDULED)
        .containsEntry(Labels.INSTANCE, "pi").containsEntry(Labels.MANAGED_BY, Labels.OPERATOR);
    var job = spec.getJobTemplate().getSpec();
    assertThat(job.getBackoffLimit()).isEqualTo(2);
    assertThat(job.getActiveDeadlineSeconds()).isPositive();
    assertThat(job.getPodFailurePolicy().getRules()).extracting(PodFailurePolicyRule::getAction)
        .containsExactly("FailJob", "Ignore");
    assertThat(job.getPodFailurePolicy().getRules().get(0).getOnExitCodes().getValues()).containsExactly(2);
    Container c = job.getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getCommand()).containsExactlyElementsOf(io.pistack.operator.model.ScriptCommands.of("backup.sh"));
    assertThat(value(c, "KEEP")).isEqualTo("7");
    assertThat(value(c, "BACKUP_PREFIX")).isEqualTo("scheduled");
    assertThat(value(c, "BACKUP_DIR")).isEqualTo("/backups");
    assertThat(value(c, "SHARED_DIR")).isEqualTo("/shared");
    assertThat(value(c, "TERMINATION_LOG")).isEqualTo("/dev/termination-log");
    assertThat(c.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
  }

  @Test
  void scheduleKeepTimeZoneImageAndResourcesComeFromTheSpec() {
    CronJob cj = BackupCronJobBuilder.build(TestStacks.resolved(BACKUPS_ON
        + "    schedule: \"30 3 * * 0\"\n    timeZone: Europe/London\n    keep: 14\n"
        + "    image: registry.example.com/mariadb:10.11.9\n"
        + "    resources: {requests: {cpu: 50m}}\n"));
    assertThat(cj.getSpec().getSchedule()).isEqualTo("30 3 * * 0");
    assertThat(cj.getSpec().getTimeZone()).isEqualTo("Europe/London");
    Container c = cj.getSpec().getJobTemplate().getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(value(c, "KEEP")).isEqualTo("14");
    assertThat(c.getImage()).isEqualTo("registry.example.com/mariadb:10.11.9");
    assertThat(c.getResources().getRequests().get("cpu").toString()).isEqualTo("50m");
  }

  @Test
  void theImageDefaultsToTheEmbeddedMariadbImage() {
    Container c = backupContainer(TestStacks.resolved(BACKUPS_ON
        + "  database:\n    embedded:\n      image: mirror.example.com/mariadb:10.11\n"));
    assertThat(c.getImage()).isEqualTo("mirror.example.com/mariadb:10.11");
    assertThat(backupContainer(TestStacks.resolved(BACKUPS_ON)).getImage())
        .isEqualTo(DatabaseSettings.DEFAULT_MARIADB_IMAGE);
  }

  @Test
  void anEmbeddedDatabaseIsBackedUpAsTheBackupUserReferencedNeverCopied() {
    ResolvedStack stack = TestStacks.resolved(BACKUPS_ON);
    Container c = backupContainer(stack);
    EnvVar user = env(c, "DB_USER");
    EnvVar password = env(c, "DB_PASSWORD");
    assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-db-backup");
    assertThat(password.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    assertThat(user.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-db-backup");
    assertThat(user.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("username");
    // The same references the database pod's user step creates the backup user from.
    var users = StatefulSetBuilder.mariadb(stack).getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(u -> u.getName().equals(StatefulSetBuilder.USERS_CONTAINER)).findFirst().orElseThrow();
    assertThat(env(users, "PI_DB_BACKUP_PASSWORD").getValueFrom()).isEqualTo(password.getValueFrom());
    assertThat(env(users, "PI_DB_BACKUP_USER").getValueFrom()).isEqualTo(user.getValueFrom());
    // A pre-upgrade backup too: the same pod template.
    Container pre = BackupJobBuilder.preUpgrade(stack, "2025_11.1", "2026_01.0").getSpec().getTemplate().getSpec()
        .getContainers().get(0);
    assertThat(env(pre, "DB_PASSWORD").getValueFrom()).isEqualTo(password.getValueFrom());
    assertThat(value(c, "DB_HOST")).isEqualTo("pi-db");
    assertThat(value(c, "DB_PORT")).isEqualTo("3306");
    assertThat(value(c, "DB_SCHEMA")).isEqualTo("dashboard");
  }

  @Test
  void theRestoreWritesAsTheApplicationUserAndTheVerificationHoldsNoDatabaseCredentials() {
    ResolvedStack stack = TestStacks.resolved(BACKUPS_ON);
    Container restore = BackupJobBuilder.restore(stack, new BackupSettings.RestoreRequest("latest", false))
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(env(restore, "DB_PASSWORD").getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-db-credentials");
    // The same references the dashboard gets.
    assertThat(EnvironmentBuilder.build(stack, Component.DASHBOARD)).anySatisfy(e -> {
      assertThat(e.getName()).isEqualTo("PI_DB_PASSWORD");
      assertThat(e.getValueFrom()).isEqualTo(env(restore, "DB_PASSWORD").getValueFrom());
    });
    var verify = BackupJobBuilder.verify(stack, "scheduled-20260101T000000Z").getSpec().getTemplate().getSpec();
    assertThat(SecretDigests.references(verify)).isEmpty();
  }

  @Test
  void anExternalDatabaseIsBackedUpWithItsHostSchemaAndSecret() {
    Container c = backupContainer(TestStacks.resolved(BACKUPS_ON + "  database:\n    external:\n"
        + "      host: repo.example.com\n      port: 3307\n      schema: pi_repo\n"
        + "      credentialsSecret: {name: pi-db, usernameKey: user, passwordKey: pass}\n"));
    assertThat(value(c, "DB_HOST")).isEqualTo("repo.example.com");
    assertThat(value(c, "DB_PORT")).isEqualTo("3307");
    assertThat(value(c, "DB_SCHEMA")).isEqualTo("pi_repo");
    assertThat(env(c, "DB_USER").getValueFrom().getSecretKeyRef().getName()).isEqualTo("pi-db");
    assertThat(env(c, "DB_USER").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("user");
    assertThat(env(c, "DB_PASSWORD").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("pass");
  }

  @Test
  void aBackupMountsTheSharedVolumeReadOnlyAndRunsConfined() {
    ResolvedStack stack = TestStacks.resolved(BACKUPS_ON);
    PodSpec pod = BackupCronJobBuilder.build(stack).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getEnableServiceLinks()).isFalse();
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    Container c = pod.getContainers().get(0);
    var sc = c.getSecurityContext();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).containsExactlyInAnyOrder("CHOWN", "DAC_OVERRIDE", "FOWNER");
    assertThat(mount(c, "shared").getReadOnly()).isTrue();
    assertThat(mount(c, "shared").getMountPath()).isEqualTo("/shared");
    assertThat(mount(c, "backups").getReadOnly()).isNotEqualTo(true);
    assertThat(mount(c, "tmp").getMountPath()).isEqualTo("/tmp");
    assertThat(claim(pod, "shared")).isEqualTo("pi-shared");
    assertThat(claim(pod, "backups")).isEqualTo("pi-backups");
    // The script is carried in the pod spec: no volume a namespace user could replace decides what runs.
    assertThat(pod.getVolumes()).noneMatch(v -> v.getConfigMap() != null);
  }

  @Test
  void thePreUpgradeJobWritesPreUpgradeBackupsNamedAfterTheTargetVersion() {
    ResolvedStack stack = TestStacks.resolved("  version: \"2026_01.0\"\n  backup:\n    enabled: true\n");
    Job job = BackupJobBuilder.preUpgrade(stack, "2025_10.1", "2026_01.0");
    assertThat(job.getMetadata().getName()).isEqualTo(JobNames.preUpgrade(stack, "2026_01.0"))
        .startsWith("pi-pre-upgrade-2026-01-0-");
    assertThat(job.getMetadata().getLabels()).containsEntry(BackupCronJobBuilder.JOB_KIND, BackupJobBuilder.PRE_UPGRADE)
        .containsEntry(Labels.INSTANCE, "pi").containsEntry(Labels.MANAGED_BY, Labels.OPERATOR);
    assertThat(job.getMetadata().getAnnotations()).containsEntry(BackupJobBuilder.FROM_VERSION, "2025_10.1")
        .containsEntry(BackupJobBuilder.TO_VERSION, "2026_01.0");
    Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(value(c, "BACKUP_PREFIX")).isEqualTo("pre-upgrade");
    assertThat(c.getCommand()).containsExactlyElementsOf(io.pistack.operator.model.ScriptCommands.of("backup.sh"));
    assertThat(job.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(BackupCronJobBuilder.JOB_KIND, BackupJobBuilder.PRE_UPGRADE);
  }

  @Test
  void theRestoreJobRunsOnceReadsBackupsReadOnlyAndFailsFastOnRefusal() {
    ResolvedStack stack = TestStacks.resolved("  version: \"2025_10.1\"\n  restore:\n    backup: latest\n");
    Job job = BackupJobBuilder.restore(stack, new BackupSettings.RestoreRequest("latest", false));
    assertThat(job.getMetadata().getName()).startsWith("pi-restore-");
    assertThat(job.getSpec().getBackoffLimit()).isZero();
    List<PodFailurePolicyRule> rules = job.getSpec().getPodFailurePolicy().getRules();
    assertThat(rules).extracting(PodFailurePolicyRule::getAction).containsExactly("FailJob", "FailJob");
    assertThat(rules.get(0).getOnExitCodes().getValues()).containsExactly(BackupJobBuilder.EXIT_REFUSED);
    assertThat(rules.get(1).getOnExitCodes().getValues()).containsExactly(BackupJobBuilder.EXIT_BAD_INPUT);
    Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getName()).isEqualTo(rules.get(0).getOnExitCodes().getContainerName());
    assertThat(c.getCommand()).containsExactlyElementsOf(io.pistack.operator.model.ScriptCommands.of("restore.sh"));
    assertThat(value(c, "RESTORE_BACKUP")).isEqualTo("latest");
    assertThat(value(c, "RESTORE_FORCE")).isEqualTo("false");
    assertThat(mount(c, "backups").getReadOnly()).isTrue();
    assertThat(mount(c, "shared").getReadOnly()).isNotEqualTo(true);
    assertThat(job.getMetadata().getAnnotations()).containsEntry(BackupJobBuilder.RESTORE_BACKUP, "latest");
  }

  @Test
  void noBuilderOutputContainsAPasswordValue() {
    ResolvedStack stack = TestStacks.resolved(BACKUPS_ON + "  restore:\n    backup: latest\n    force: true\n");
    var cronJob = BackupCronJobBuilder.build(stack);
    var preUpgrade = BackupJobBuilder.preUpgrade(stack, "a", "b");
    var restore = BackupJobBuilder.restore(stack, stack.backup().restore().orElseThrow());
    // The scripts' own text (carried in the command) names the variables it reads: only the pod spec is judged.
    for (var pod : List.of(cronJob.getSpec().getJobTemplate().getSpec().getTemplate(), preUpgrade.getSpec().getTemplate(),
        restore.getSpec().getTemplate())) {
      pod.getSpec().getContainers().forEach(c -> c.getCommand().set(2, "<script>"));
    }
    String all = Serialization.asYaml(cronJob) + Serialization.asYaml(preUpgrade) + Serialization.asYaml(restore);
    assertThat(all).contains("secretKeyRef").doesNotContain("MYSQL_PWD").doesNotContain("MARIADB_ROOT_PASSWORD");
    assertThat(all.lines().filter(l -> l.contains("DB_PASSWORD")).count()).isEqualTo(3);
  }

  @Test
  void everyJobCarriesItsScriptFromTheJarAndMountsNoConfigMap() throws IOException {
    ResolvedStack stack = TestStacks.resolved(BACKUPS_ON + "  restore:\n    backup: latest\n");
    for (var pod : List.of(BackupCronJobBuilder.build(stack).getSpec().getJobTemplate().getSpec().getTemplate(),
        BackupJobBuilder.preUpgrade(stack, "a", "b").getSpec().getTemplate(),
        BackupJobBuilder.restore(stack, stack.backup().restore().orElseThrow()).getSpec().getTemplate())) {
      assertThat(pod.getSpec().getVolumes()).noneMatch(v -> v.getConfigMap() != null);
      Container c = pod.getSpec().getContainers().get(0);
      assertThat(c.getCommand().get(2)).startsWith("#!/usr/bin/env bash")
          .isIn(ScriptCommands.jarText("backup.sh"), ScriptCommands.jarText("restore.sh"));
    }
  }

  @Test
  void theBackupClaimDefaultsTo10GiAndAnExistingClaimReplacesIt() {
    var pvc = PersistentVolumeClaimBuilder.backups(TestStacks.resolved(BACKUPS_ON));
    assertThat(pvc.getMetadata().getName()).isEqualTo("pi-backups");
    assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("10Gi");
    assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    assertThat(pvc.getSpec().getStorageClassName()).isNull();
    var sized = PersistentVolumeClaimBuilder.backups(TestStacks.resolved(BACKUPS_ON
        + "    storage: {size: 50Gi, storageClassName: fast}\n"));
    assertThat(sized.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("50Gi");
    assertThat(sized.getSpec().getStorageClassName()).isEqualTo("fast");

    ResolvedStack existing = TestStacks.resolved(BACKUPS_ON + "    storage: {existingClaim: old-backups}\n");
    assertThat(existing.backup().createsClaim()).isFalse();
    assertThat(claim(BackupCronJobBuilder.build(existing).getSpec().getJobTemplate().getSpec().getTemplate()
        .getSpec(), "backups")).isEqualTo("old-backups");
  }

  @Test
  void renderListsTheBackupObjectsOnlyWhenAsked() {
    // The backup user's Secret is the embedded database's, created with or without backups (DatabaseBackupUser).
    assertThat(DesiredStacks.fresh(TestStacks.resolved("  version: \"1\"\n")).objects())
        .filteredOn(o -> !o.getMetadata().getName().equals("pi-db-backup"))
        .noneMatch(o -> o.getMetadata().getName().contains("backup") || o.getMetadata().getName().contains("restore"));
    assertThat(DesiredStacks.fresh(TestStacks.resolved(BACKUPS_ON)).objects()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .contains("PersistentVolumeClaim/pi-backups", "CronJob/pi-backup")
        .noneMatch(n -> n.startsWith("Job/") || n.startsWith("ConfigMap/"));
    var restoring = DesiredStacks.fresh(TestStacks.resolved("  version: \"1\"\n  restore:\n    backup: latest\n"));
    assertThat(restoring.objects())
        .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .contains("PersistentVolumeClaim/pi-backups")
        .noneMatch(n -> n.startsWith("ConfigMap/"))
        .noneMatch(n -> n.startsWith("Job/"))
        .noneMatch(n -> n.startsWith("CronJob/"));
    // A fresh stack's restore waits for the database: its Job comes in a later pass.
    assertThat(restoring.later()).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
        .singleElement().asString().startsWith("Job/pi-restore-");
  }

  private static Container backupContainer(ResolvedStack stack) {
    return BackupCronJobBuilder.build(stack).getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
        .getContainers().get(0);
  }

  private static EnvVar env(Container c, String name) {
    return c.getEnv().stream().filter(e -> name.equals(e.getName())).findFirst().orElseThrow();
  }

  private static String value(Container c, String name) {
    return env(c, name).getValue();
  }

  private static VolumeMount mount(Container c, String volume) {
    return c.getVolumeMounts().stream().filter(m -> volume.equals(m.getName())).findFirst().orElseThrow();
  }

  private static String claim(PodSpec pod, String volume) {
    return pod.getVolumes().stream().filter(v -> volume.equals(v.getName())).findFirst().orElseThrow()
        .getPersistentVolumeClaim().getClaimName();
  }
}
