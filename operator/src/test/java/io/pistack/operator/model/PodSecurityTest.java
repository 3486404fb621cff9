package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSpec;
import org.junit.jupiter.api.Test;

/** The security contexts of every generated pod, judged against the Pod Security Standards' checks. */
class PodSecurityTest {
  static final String RESTRICTED_PI = """
        version: "2025_10.1"
        licence: {secretName: pi-licence}
        backup: {enabled: true}
        trust: {configMapName: corporate-ca}
        dashboard:
          podSecurityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000}
        scheduler:
          podSecurityContext: {runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000}
        analytics:
          podSecurityContext: {runAsNonRoot: true, runAsUser: 1000}
        renderer:
          podSecurityContext: {runAsNonRoot: true, runAsUser: 1000}
        excelReader:
          podSecurityContext: {runAsNonRoot: true, runAsUser: 1000}
      """;

  @Test
  void theDatabasePodMeetsRestrictedByDefault() {
    PodSpec db = StatefulSetBuilder.mariadb(TestStacks.resolved(TestStacks.minimal())).getSpec().getTemplate()
        .getSpec();
    assertThat(PodSecurityStandards.restricted(db)).isEmpty();
    assertThat(db.getSecurityContext().getRunAsUser()).isEqualTo(999L);
    assertThat(db.getSecurityContext().getFsGroup()).isEqualTo(999L);
    assertThat(db.getSecurityContext().getFsGroupChangePolicy()).isEqualTo("OnRootMismatch");
  }

  @Test
  void thePiPodsMeetBaselineByDefaultAndAreHardened() {
    ResolvedStack stack = TestStacks.resolved(TestStacks.minimal());
    for (Component c : stack.enabledComponents()) {
      PodSpec pod = DeploymentBuilder.build(stack, c).getSpec().getTemplate().getSpec();
      assertThat(PodSecurityStandards.baseline(pod)).as(c.part()).isEmpty();
      // Root (the image's user) is the only thing between them and restricted.
      assertThat(PodSecurityStandards.restricted(pod)).as(c.part())
          .containsExactly(c.part() + ": runAsNonRoot is not true");
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      var sc = pod.getContainers().get(0).getSecurityContext();
      assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
      assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    }
  }

  @Test
  void theDocumentedSettingsMakeEveryPiPodRestricted() {
    ResolvedStack stack = TestStacks.resolved(RESTRICTED_PI);
    for (Component c : stack.enabledComponents()) {
      PodSpec pod = DeploymentBuilder.build(stack, c).getSpec().getTemplate().getSpec();
      assertThat(PodSecurityStandards.restricted(pod)).as(c.part()).isEmpty();
      // The user's fields are merged into the default: seccomp stays.
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }
  }

  @Test
  void aUsersFieldReplacesTheDefaultsFieldOnly() {
    ResolvedStack stack = TestStacks.resolved("""
          version: "2025_10.1"
          renderer:
            securityContext: {capabilities: {add: [SYS_ADMIN]}, readOnlyRootFilesystem: true}
            podSecurityContext: {seccompProfile: {type: Unconfined}}
        """);
    PodSpec pod = DeploymentBuilder.build(stack, Component.RENDERER).getSpec().getTemplate().getSpec();
    var sc = pod.getContainers().get(0).getSecurityContext();
    assertThat(sc.getCapabilities().getAdd()).containsExactly("SYS_ADMIN");
    assertThat(sc.getCapabilities().getDrop()).isNullOrEmpty();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(PodSecurityStandards.baseline(pod)).contains("pod seccomp Unconfined", "renderer: adds capability SYS_ADMIN");
  }

  @Test
  void backupPodsAreBaselineAsRootAndRestrictedWhenTheDashboardRunsAsAUser() {
    PodSpec asRoot = BackupCronJobBuilder.build(TestStacks.resolved(BackupBuildersTest.BACKUPS_ON)).getSpec()
        .getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(PodSecurityStandards.baseline(asRoot)).isEmpty();
    assertThat(PodSecurityStandards.restricted(asRoot)).isNotEmpty();

    ResolvedStack nonRoot = TestStacks.resolved(RESTRICTED_PI);
    PodSpec backup = BackupCronJobBuilder.build(nonRoot).getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
    assertThat(PodSecurityStandards.restricted(backup)).isEmpty();
    assertThat(backup.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    assertThat(backup.getSecurityContext().getRunAsGroup()).isEqualTo(1000L);
    assertThat(backup.getSecurityContext().getFsGroup()).isEqualTo(1000L);
    PodSpec restore = BackupJobBuilder.restore(nonRoot, new BackupSettings.RestoreRequest("latest", false))
        .getSpec().getTemplate().getSpec();
    assertThat(PodSecurityStandards.restricted(restore)).isEmpty();
  }

  @Test
  void theVerificationPodReadsTheBackupAsItsWriterOrFromS3AsMariaDbsUser() {
    // From the backup volume, whose files the backup pods wrote with mode 600: as they do.
    PodSpec fromVolume = BackupJobBuilder.verify(TestStacks.resolved(BackupBuildersTest.BACKUPS_ON), "backup-1")
        .getSpec().getTemplate().getSpec();
    assertThat(PodSecurityStandards.baseline(fromVolume)).isEmpty();
    assertThat(fromVolume.getContainers().get(0).getSecurityContext().getCapabilities().getAdd())
        .containsExactlyInAnyOrder("CHOWN", "DAC_OVERRIDE", "FOWNER");
    PodSpec asUser = BackupJobBuilder.verify(TestStacks.resolved(RESTRICTED_PI), "backup-1")
        .getSpec().getTemplate().getSpec();
    assertThat(PodSecurityStandards.restricted(asUser)).isEmpty();
    assertThat(asUser.getSecurityContext().getRunAsUser()).isEqualTo(1000L);
    // From S3 it fetches the files itself: restricted, always.
    PodSpec fromS3 = BackupJobBuilder.verify(TestStacks.resolved(BackupS3BuildersTest.S3), "backup-1").getSpec().getTemplate().getSpec();
    assertThat(fromS3.getInitContainers()).isNotEmpty();
    assertThat(PodSecurityStandards.restricted(fromS3)).isEmpty();
    assertThat(fromS3.getSecurityContext().getRunAsUser()).isEqualTo(PodSecurity.MARIADB_USER);
  }

  @Test
  void theTrustStoreInitContainerIsHardenedToo() {
    ResolvedStack stack = TestStacks.resolved(RESTRICTED_PI);
    PodSpec pod = DeploymentBuilder.build(stack, Component.DASHBOARD).getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers()).extracting(c -> c.getName()).contains("pi-trust-store");
    assertThat(PodSecurityStandards.restricted(pod)).isEmpty();
  }
}
