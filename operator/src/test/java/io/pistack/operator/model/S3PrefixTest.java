package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.status.BackupRestoreStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key prefix of a stack's backups: the spec's, else where its backups already are ({@code <stack>/}, the default
 * of earlier versions, as its status records), else {@code <namespace>/<stack>/}. Every Job uses the one decision.
 */
class S3PrefixTest {
  static final String S3 = "  version: \"2025_10.1\"\n  backup:\n    enabled: true\n    storage:\n      s3:\n"
      + "        bucket: pi-backups\n";

  @Test
  void aNewStackWritesUnderItsNamespaceSoSameNamedStacksNeverShareBackups() {
    PiStack a = TestStacks.of(S3);
    PiStack b = TestStacks.of(S3);
    b.getMetadata().setNamespace("other-team");
    assertThat(prefix(a)).isEqualTo("ns/pi/");
    assertThat(prefix(b)).isEqualTo("other-team/pi/");
    assertThat(S3Prefix.keepsUnscopedDefault(a.getSpec().backup.storage.s3, a)).isFalse();
  }

  @Test
  void anExistingStackKeepsThePrefixItsBackupsAreUnderAndEveryJobUsesIt() {
    PiStack s = withRecordedBackup(TestStacks.of(S3 + "  restore: {backup: latest}\n"),
        "s3://pi-backups/pi/scheduled-20250131T020003Z");
    assertThat(prefix(s)).isEqualTo("pi/");
    assertThat(S3Prefix.keepsUnscopedDefault(s.getSpec().backup.storage.s3, s)).isTrue();
    ResolvedStack r = TestStacks.resolved(s);
    BackupSettings settings = r.backup();
    assertThat(env(BackupCronJobBuilder.build(r).getSpec().getJobTemplate().getSpec().getTemplate().getSpec()
        .getContainers().get(0), "S3_PREFIX")).isEqualTo("pi/");
    Job restore = BackupJobBuilder.restore(r, settings.restore().orElseThrow());
    assertThat(env(restore.getSpec().getTemplate().getSpec().getInitContainers().get(0), "S3_PREFIX")).isEqualTo("pi/");
    assertThat(settings.location("scheduled-20250201T020003Z")).isEqualTo("s3://pi-backups/pi/scheduled-20250201T020003Z");
    // What the user sees: a warning naming the field, why, and both ways out.
    assertThat(SpecWarnings.of(new ResolvedStack(s))).singleElement().satisfies(w -> {
      assertThat(w.reason()).isEqualTo(SpecWarnings.S3_PREFIX_WITHOUT_NAMESPACE);
      assertThat(w.toString()).startsWith("spec.backup.storage.s3.prefix: backups stay under pi/")
          .contains("set prefix to ns/pi/ to write new backups there, or to pi/ to keep this one");
    });
    assertThat(SpecWarnings.of(new ResolvedStack(TestStacks.of(S3)))).as("a new stack").isEmpty();
  }

  @Test
  void theDecisionIsRecordedInStatusOnceAndOutlivesTheLocationItCameFrom() {
    PiStack s = withRecordedBackup(TestStacks.of(S3), "s3://pi-backups/pi/scheduled-20250131T020003Z");
    assertThat(recorded(s)).isEqualTo("pi/");
    s.getStatus().backup.s3DefaultPrefix = recorded(s);
    // A later backup whose pod the operator never read leaves no name and no location: the record keeps pi/.
    s.getStatus().backup.lastBackupName = null;
    s.getStatus().backup.location = null;
    assertThat(prefix(s)).isEqualTo("pi/");
    assertThat(recorded(s)).isEqualTo("pi/");
    // A new stack records its namespaced prefix at its first reconcile; without S3 nothing is recorded.
    assertThat(recorded(TestStacks.of(S3))).isEqualTo("ns/pi/");
    assertThat(BackupRestoreStatus.observe(TestStacks.resolved("  version: \"1\"\n  backup: {enabled: true}\n"),
        LifecyclePlan.open(TestStacks.resolved("  version: \"1\"\n")), List.of(), Map.of()).reportedBackup())
        .isNull();
  }

  @Test
  void onlyBackupsUnderTheOldDefaultInThisBucketKeepIt() {
    // Another bucket: nothing of this stack is in the new one.
    assertThat(prefix(withRecordedBackup(TestStacks.of(S3), "s3://old-bucket/pi/scheduled-20250131T020003Z")))
        .isEqualTo("ns/pi/");
    // A backup volume, or no backup yet.
    assertThat(prefix(withRecordedBackup(TestStacks.of(S3), "pvc:pi-backups/scheduled-20250131T020003Z")))
        .isEqualTo("ns/pi/");
    assertThat(prefix(withRecordedBackup(TestStacks.of(S3), null))).isEqualTo("ns/pi/");
    // Backed up, but where is unknown (the run's pod was gone before the operator read it): the old default, safely.
    PiStack unknown = withRecordedBackup(TestStacks.of(S3), null);
    unknown.getStatus().backup.lastBackupName = null;
    unknown.getStatus().backup.lastSuccessfulTime = "2025-01-31T02:00:40Z";
    assertThat(prefix(unknown)).isEqualTo("pi/");
    // Already under the new default: stays there.
    assertThat(prefix(withRecordedBackup(TestStacks.of(S3), "s3://pi-backups/ns/pi/scheduled-20250131T020003Z")))
        .isEqualTo("ns/pi/");
  }

  @Test
  void theSpecPrefixAlwaysWins() {
    PiStack s = withRecordedBackup(TestStacks.of(S3 + "        prefix: prod/pi\n"),
        "s3://pi-backups/pi/scheduled-20250131T020003Z");
    assertThat(prefix(s)).isEqualTo("prod/pi/");
    assertThat(S3Prefix.keepsUnscopedDefault(s.getSpec().backup.storage.s3, s)).isFalse();
    PiStack optIn = withRecordedBackup(TestStacks.of(S3 + "        prefix: ns/pi/\n"),
        "s3://pi-backups/pi/scheduled-20250131T020003Z");
    assertThat(prefix(optIn)).as("opting into the namespaced prefix").isEqualTo("ns/pi/");
  }

  /** status.backup.s3DefaultPrefix after one reconcile's status decision. */
  private static String recorded(PiStack s) {
    ResolvedStack r = TestStacks.resolved(s);
    return BackupRestoreStatus.observe(r, LifecyclePlan.open(r), List.of(), Map.of()).reportedBackup().s3DefaultPrefix;
  }

  private static String prefix(PiStack s) {
    return TestStacks.resolved(s).backup().s3().orElseThrow().prefix();
  }

  private static PiStack withRecordedBackup(PiStack s, String location) {
    s.setStatus(new PiStackStatus());
    s.getStatus().backup = new BackupStatus();
    s.getStatus().backup.lastBackupName = "scheduled-20250131T020003Z";
    s.getStatus().backup.location = location;
    return s;
  }

  private static String env(io.fabric8.kubernetes.api.model.Container c, String name) {
    return c.getEnv().stream().filter(e -> name.equals(e.getName())).findFirst().orElseThrow().getValue();
  }
}
