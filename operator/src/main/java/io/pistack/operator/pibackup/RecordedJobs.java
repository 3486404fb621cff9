package io.pistack.operator.pibackup;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.dependent.SlimCache;
import io.pistack.operator.model.BackupCronJobBuilder;
import io.pistack.operator.model.BackupJobBuilder;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.RecordedBackups;
import io.pistack.operator.model.RecordedBackups.JobRef;
import io.pistack.operator.status.PiBackupDecision.StackProblem;
import io.pistack.operator.status.PiBackupDecision.Why;
import java.util.List;
import java.util.Set;

/**
 * The backup Jobs the stacks run themselves (CronJob runs, pre-upgrade backups), for the PiBackups that record
 * them ({@link RecordedBackups}): one informer per kind ({@link #SELECTORS}, equality selectors: the fabric8 mock's
 * set-based ones are unreliable), slimmed as the PiStack controller's children are, each Job mapped to the PiBackup
 * named after it, so the Job's progress and end reconcile that PiBackup. Such a PiBackup reads its Job, never
 * creates one.
 */
@ApiAccess(group = "batch", resource = "jobs", verbs = "get",
    why = "reads the backup Job a recorded PiBackup names when the cache does not hold it (yet, or any more)")
public final class RecordedJobs {
  /** The label selectors of the informers: the CronJobs' runs, the pre-upgrade backups. */
  public static final List<String> SELECTORS = List.of(BackupCronJobBuilder.SCHEDULED, BackupJobBuilder.PRE_UPGRADE)
      .stream().map(kind -> Labels.MANAGED_SELECTOR + "," + BackupCronJobBuilder.JOB_KIND + "=" + kind).toList();
  private final List<InformerEventSource<Job, PiBackup>> sources;

  RecordedJobs(EventSourceContext<PiBackup> context) {
    sources = SELECTORS.stream().map(selector -> new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Job.class, PiBackup.class)
            .withName("recorded-" + selector.substring(selector.lastIndexOf('=') + 1))
            .withLabelSelector(selector)
            .withItemStore(new SlimCache.Children<>())
            .withNamespacesInheritedFromController()
            .withSecondaryToPrimaryMapper(j -> RecordedBackups.recordable(j)
                ? Set.of(new ResourceID(RecordedBackups.name(j), j.getMetadata().getNamespace())) : Set.<ResourceID>of())
            .build(), context)).toList();
  }

  List<InformerEventSource<Job, PiBackup>> sources() {
    return sources;
  }

  /** The Job {@code backup} records (name, uid, kind and stack checked), or null when it no longer exists. */
  Job find(KubernetesClient client, PiBackup backup, JobRef ref) {
    String ns = backup.getMetadata().getNamespace();
    Job job = sources.stream().map(s -> s.get(new ResourceID(ref.name(), ns))).flatMap(java.util.Optional::stream)
        .filter(j -> RecordedBackups.matches(backup, j)).findFirst().orElse(null);
    if (job == null || !RecordedBackups.matches(backup, job)) {
      job = client.batch().v1().jobs().inNamespace(ns).withName(ref.name()).get();
    }
    return job != null && RecordedBackups.matches(backup, job) ? job : null;
  }

  /** The recorded Job is gone before its outcome was read: the PiBackup fails with JobDeleted. */
  static StackLookup.Found gone(JobRef ref) {
    return new StackLookup.Found(null, new StackProblem(Why.JobDeleted, "the backup Job " + ref.name()
        + " this PiBackup records no longer exists; its outcome is unknown"));
  }
}
