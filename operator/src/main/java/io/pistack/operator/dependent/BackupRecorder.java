package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.model.BackupCronJobBuilder;
import io.pistack.operator.model.BackupJobBuilder;
import io.pistack.operator.model.BackupPruning;
import io.pistack.operator.model.JobOutcome;
import io.pistack.operator.model.RecordedBackups;
import io.pistack.operator.model.ResolvedStack;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PiStack reconcile's part in backups as objects: one PiBackup per backup Job of the stack's own (a CronJob
 * run, a pre-upgrade backup; {@link RecordedBackups}), then {@code keep} applied to those objects
 * ({@link BackupPruning}; on an S3 target a prune Job first, {@link S3BackupPruner}). Reads the caches only;
 * writes only what is missing: a create per unrecorded Job (409: made by an earlier, killed reconcile: not made
 * again), one annotation per Job once its PiBackup exists, one delete per pruned PiBackup. A reconcile with nothing
 * new makes no request. Nothing happens where the operator runs without the PiBackup source (no CRD).
 */
@ApiAccess(group = PiStack.GROUP, resource = "pibackups", verbs = {"create", "delete"},
    why = "records each CronJob run and pre-upgrade backup as a PiBackup; keep deletes the oldest recorded ones")
@ApiAccess(group = "batch", resource = "jobs", verbs = "patch",
    why = "annotates a backup Job once its PiBackup exists (pistack.io/pibackup)")
public final class BackupRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(BackupRecorder.class);

  private BackupRecorder() {}

  public static void sync(ResolvedStack resolved, PiStack stack, Context<PiStack> context) {
    var cached = StackBackups.all(context);
    if (cached.isEmpty()) {
      return;
    }
    List<PiBackup> backups = cached.get().stream()
        .filter(b -> Objects.equals(b.getMetadata().getNamespace(), stack.getMetadata().getNamespace())).toList();
    List<Job> jobs = StackJobs.of(stack, context);
    Set<String> names = backups.stream().map(b -> b.getMetadata().getName()).collect(Collectors.toSet());
    RecordedBackups.Plan plan = RecordedBackups.plan(stack, jobs, names);
    KubernetesClient client = context.getClient();
    String ns = stack.getMetadata().getNamespace();
    for (PiBackup b : plan.create()) {
      try {
        client.resource(b).create();
        LOG.info("PiBackup {}/{} records the backup Job {}", ns, b.getMetadata().getName(),
            b.getMetadata().getAnnotations().get(RecordedBackups.JOB));
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) { // 409: made by an earlier reconcile that was stopped before annotating its Job
          throw e;
        }
      }
    }
    plan.annotate().forEach((job, backup) -> client.batch().v1().jobs().inNamespace(ns).withName(job)
        .patch(PatchContext.of(PatchType.JSON_MERGE),
            "{\"metadata\":{\"annotations\":{\"" + RecordedBackups.RECORDED + "\":\"" + backup + "\"}}}"));

    List<PiBackup> mine = backups.stream()
        .filter(b -> stack.getMetadata().getName().equals(b.getSpec() == null ? null : b.getSpec().stack)).toList();
    boolean restoring = restoring(stack, jobs);
    for (String name : BackupPruning.prune(resolved.backup(), mine, restoring)) {
      LOG.info("PiBackup {}/{}: pruned (spec.backup.keep {}; its files were deleted by the backup run)", ns, name,
          resolved.backup().keep());
      client.resources(PiBackup.class).inNamespace(ns).withName(name).delete();
    }
    S3BackupPruner.sync(resolved, stack, context, mine, jobs, restoring); // on S3: a prune Job first, then the object
  }

  /** A restore of the stack is asked for and not finished, or its Job runs. */
  static boolean restoring(PiStack stack, List<Job> jobs) {
    boolean jobRuns = jobs.stream().anyMatch(j -> j.getMetadata().getLabels() != null
        && BackupJobBuilder.RESTORE.equals(j.getMetadata().getLabels().get(BackupCronJobBuilder.JOB_KIND))
        && !JobOutcome.of(j).finished());
    RestoreStatus r = stack.getStatus() == null ? null : stack.getStatus().restore;
    boolean asked = stack.getSpec().restore != null && (r == null || r.phase == null
        || r.phase == RestoreStatus.Phase.Pending || r.phase == RestoreStatus.Phase.Running);
    return jobRuns || asked;
  }
}
