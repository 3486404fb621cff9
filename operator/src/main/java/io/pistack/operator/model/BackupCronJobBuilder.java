package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicy;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyBuilder;
import io.pistack.operator.model.BackupPodBuilder.Script;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <stack>-backup}: the scheduled backup (batch/v1 CronJob), present only while
 * spec.backup.enabled. Runs never overlap (Forbid); a run missed by more than an hour is skipped.
 */
public final class BackupCronJobBuilder {
  /** The label that tells the operator's Jobs apart; CronJob runs carry {@link #SCHEDULED}. */
  public static final String JOB_KIND = "pistack.io/job-kind";
  public static final String SCHEDULED = "scheduled-backup";
  static final int HISTORY = 3;
  static final long STARTING_DEADLINE_SECONDS = 3600;
  static final int BACKUP_BACKOFF_LIMIT = 2;
  static final long BACKUP_DEADLINE_SECONDS = 3 * 3600;

  private BackupCronJobBuilder() {}

  public static CronJob build(ResolvedStack stack) {
    BackupSettings settings = stack.backup();
    Map<String, String> labels = jobLabels(stack, "backup", SCHEDULED);
    var spec = new CronJobSpecBuilder()
        .withSchedule(settings.schedule())
        .withTimeZone(settings.timeZone().orElse(null))
        .withConcurrencyPolicy("Forbid")
        .withStartingDeadlineSeconds(STARTING_DEADLINE_SECONDS)
        .withSuccessfulJobsHistoryLimit(HISTORY)
        .withFailedJobsHistoryLimit(HISTORY)
        .withNewJobTemplate()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withSpec(backupJobSpec(settings, labels, BackupSettings.SCHEDULED_PREFIX))
        .endJobTemplate();
    CronJob cj = new CronJob();
    cj.setMetadata(ChildMetadata.of(stack, settings.cronJobName(), "backup"));
    cj.setSpec(spec.build());
    return cj;
  }

  /** Labels of a Job the operator runs, or the CronJob runs: the stack's, plus what kind of Job. */
  static Map<String, String> jobLabels(ResolvedStack stack, String part, String kind) {
    Map<String, String> labels = new LinkedHashMap<>(Labels.of(stack, part));
    labels.put(JOB_KIND, kind);
    return labels;
  }

  /** A backup Job: retried twice, except on bad input (exit 2) or an eviction (not counted). */
  static JobSpec backupJobSpec(BackupSettings settings, Map<String, String> labels, String prefix) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KEEP", Integer.toString(settings.keep()));
    env.put("BACKUP_PREFIX", prefix);
    var rules = new PodFailurePolicyBuilder()
        .addNewRule().withAction("FailJob")
        .withNewOnExitCodes().withContainerName(Script.BACKUP.container()).withOperator("In").withValues(2)
        .endOnExitCodes().endRule();
    if (settings.s3().isPresent()) { // the API server accepts only names of containers the pod has
      rules.addNewRule().withAction("FailJob")
          .withNewOnExitCodes().withContainerName(BackupPodBuilder.S3_UPLOAD).withOperator("In").withValues(2)
          .endOnExitCodes().endRule();
    }
    PodFailurePolicy policy = rules
        .addNewRule().withAction("Ignore")
        .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition().endRule()
        .build();
    return new JobSpecBuilder()
        .withBackoffLimit(BACKUP_BACKOFF_LIMIT)
        .withActiveDeadlineSeconds(BACKUP_DEADLINE_SECONDS)
        .withPodFailurePolicy(policy)
        .withTemplate(BackupPodBuilder.template(settings, Script.BACKUP, labels, env))
        .build();
  }
}
