package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.api.v1alpha1.RestoreSourceSpec;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.it.Stacks;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * keep on S3 waits while a clone reads this namespace's PiBackups: a stack (here or in another namespace) whose
 * spec.restore names a PiBackup or a time from this namespace and has not finished restoring. A restore by backup
 * name reads the bucket, not the PiBackups, and a finished or refused one holds nothing.
 */
class S3BackupPrunerTest {
  static PiStack clone(String ns, String fromNs, RestoreStatus.Phase phase, boolean byTime) {
    PiStack s = Stacks.sample("minimal.yaml", ns);
    s.getSpec().restore = new RestoreSpec();
    if (byTime) {
      s.getSpec().restore.before = "2026-12-07T00:00:00Z";
    } else {
      s.getSpec().restore.piBackup = "pi-backup-29413200-3f9a1c";
    }
    if (fromNs != null) {
      s.getSpec().restore.source = new RestoreSourceSpec();
      s.getSpec().restore.source.namespace = fromNs;
    }
    if (phase != null) {
      s.setStatus(new PiStackStatus());
      s.getStatus().restore = new RestoreStatus();
      s.getStatus().restore.phase = phase;
    }
    return s;
  }

  @Test
  void aCloneThatHasNotFinishedHoldsTheSourceNamespacesPruning() {
    assertThat(S3BackupPruner.restoringFrom("prod", Stream.of(clone("staging", "prod", null, false)))).isTrue();
    assertThat(S3BackupPruner.restoringFrom("prod", Stream.of(clone("staging", "prod", RestoreStatus.Phase.Pending,
        true)))).isTrue();
    assertThat(S3BackupPruner.restoringFrom("prod", Stream.of(clone("staging", "prod", RestoreStatus.Phase.Running,
        false)))).isTrue();
    // A stack of the same namespace restoring one of its PiBackups.
    assertThat(S3BackupPruner.restoringFrom("prod", Stream.of(clone("prod", null, RestoreStatus.Phase.Running,
        false)))).isTrue();
  }

  @Test
  void aFinishedCloneAnotherNamespacesOrARestoreByNameHoldsNothing() {
    assertThat(S3BackupPruner.restoringFrom("prod", Stream.of(clone("staging", "prod", RestoreStatus.Phase.Succeeded,
        false)))).isFalse();
    assertThat(S3BackupPruner.restoringFrom("prod", Stream.of(clone("staging", "prod", RestoreStatus.Phase.Refused,
        false)))).isFalse();
    assertThat(S3BackupPruner.restoringFrom("prod", Stream.of(clone("staging", "qa", null, false)))).isFalse();
    assertThat(S3BackupPruner.restoringFrom("prod", Stream.of(clone("staging", null, null, false)))).isFalse();
    PiStack byName = Stacks.sample("minimal.yaml", "staging");
    byName.getSpec().restore = new RestoreSpec();
    byName.getSpec().restore.backup = "latest";
    assertThat(S3BackupPruner.restoringFrom("staging", Stream.of(byName))).isFalse();
    assertThat(S3BackupPruner.restoringFrom("prod", Stream.empty())).isFalse();
  }
}
