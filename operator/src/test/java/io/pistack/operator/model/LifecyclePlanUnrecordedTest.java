package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one lifecycle decision names the finished Jobs it keeps until the status holds their outcome. */
class LifecyclePlanUnrecordedTest {
  static final String AT = "2026-01-14T02:00:40Z";

  @Test
  void aFinishedBackupIsKeptUntilTheStatusRecordsItsOutcome() {
    ResolvedStack fresh = TestStacks.resolved("  version: \"1\"\n  backup:\n    enabled: true\n");
    assertThat(plan(fresh, backup("pi-backup-1")).unrecorded()).containsExactly("pi-backup-1");

    ResolvedStack recorded = TestStacks.resolved("  version: \"1\"\n  backup:\n    enabled: true\n");
    recorded.source().setStatus(new PiStackStatus());
    recorded.source().getStatus().backup = new BackupStatus();
    recorded.source().getStatus().backup.lastSuccessfulTime = AT;
    assertThat(plan(recorded, backup("pi-backup-1")).unrecorded()).as("its outcome is recorded").isEmpty();
  }

  @Test
  void aPlanDecidedWithoutTheOneDecisionKeepsNoJob() {
    ResolvedStack s = TestStacks.resolved("  version: \"1\"\n  backup:\n    enabled: true\n");
    assertThat(LifecyclePlan.decide(s, List.of(), List.of(backup("pi-backup-1")), Optional.empty()).unrecorded())
        .isEmpty();
    assertThat(LifecyclePlan.open(s).unrecorded()).isEmpty();
  }

  private static LifecyclePlan plan(ResolvedStack s, Job... jobs) {
    return LifecyclePlan.of(s, List.of(), List.of(jobs), Optional.empty(), List.of(),
        MaintenancePageDecision.Seen.nothing(), Optional.empty(), Optional.empty());
  }

  private static Job backup(String name) {
    return new JobBuilder().withNewMetadata().withName(name).withNamespace("ns")
        .addToLabels(BackupCronJobBuilder.JOB_KIND, BackupCronJobBuilder.SCHEDULED).endMetadata()
        .withNewStatus().withCompletionTime(AT).addToConditions(new JobConditionBuilder().withType("Complete")
            .withStatus("True").withLastTransitionTime(AT).build()).endStatus().build();
  }
}
