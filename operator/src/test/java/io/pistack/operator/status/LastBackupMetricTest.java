package io.pistack.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.metrics.OperatorMetrics;
import org.junit.jupiter.api.Test;

/**
 * pi_operator_backup_last_success_timestamp_seconds: when the stack's last backup completed, its creation time before
 * the first (so the PiStackBackupStale alert also fires for a stack never backed up); only while backups are on.
 */
class LastBackupMetricTest {
  static final String SERIES = "pi_operator_backup_last_success_timestamp_seconds{name=\"pi\",namespace=\"ns\"}";

  @Test
  void theLastBackupsTimeOrTheCreationTimeWhileBackupsAreOnAndNothingWhenOff() {
    PiStack stack = BackupRestoreStatusTest.stack("  version: \"1\"\n  backup:\n    enabled: true\n");
    stack.getMetadata().setCreationTimestamp("2026-01-01T00:00:00Z");
    OperatorMetrics metrics = new OperatorMetrics();
    StatusMetrics mirror = new StatusMetrics(metrics);

    PiStackStatus none = status(true, null);
    mirror.record(stack, none);
    assertThat(metrics.scrape()).contains(SERIES + " 1.7672256E9"); // 2026-01-01T00:00:00Z

    mirror.record(stack, status(true, "2026-01-14T02:00:40Z"));
    assertThat(metrics.scrape()).contains(SERIES + " 1.76835604E9");

    mirror.record(stack, status(false, "2026-01-14T02:00:40Z"));
    assertThat(metrics.scrape()).doesNotContain("pi_operator_backup_last_success_timestamp_seconds");

    mirror.record(stack, status(true, "2026-01-14T02:00:40Z"));
    metrics.forgetStack("ns", "pi");
    assertThat(metrics.scrape()).doesNotContain("pi_operator_backup_last_success_timestamp_seconds");
  }

  private static PiStackStatus status(boolean backupsOn, String lastSuccess) {
    PiStackStatus s = new PiStackStatus();
    Conditions c = new Conditions(null, 2, BackupRestoreStatusTest.CLOCK);
    c.set(ConditionType.READY, true, Reason.ALL_COMPONENTS_READY, "ready");
    if (backupsOn) {
      c.set(ConditionType.BACKUP_FAILING, false, Reason.BACKUP_SUCCEEDED, "ok");
    }
    s.conditions = c.build();
    if (lastSuccess != null) {
      s.backup = new BackupStatus();
      s.backup.lastSuccessfulTime = lastSuccess;
    }
    return s;
  }
}
