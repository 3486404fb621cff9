package io.pistack.operator.pibackup;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.JobOutcome;
import io.pistack.operator.model.Ownership;
import io.pistack.operator.model.PiBackupJobs;
import io.pistack.operator.model.RecordedBackups;
import io.pistack.operator.observe.JobTerminationMessages;
import io.pistack.operator.status.PiBackupDecision;
import io.pistack.operator.status.PiBackupDecision.StackProblem;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PiBackup controller: one backup Job per PiBackup (and its verification Job with spec.verify), created with
 * the stack's backup settings and owned by the PiBackup, and the PiBackup's status from those Jobs and the scripts'
 * termination messages ({@link PiBackupDecision}, pure). The Jobs have deterministic names
 * ({@link PiBackupJobs}): a restarted operator finds the Job it created (its informer has synced before the first
 * reconcile; a create that meets an existing name is not repeated). A PiBackup the operator made for a backup Job
 * of the stack's own (a CronJob run, a pre-upgrade backup: {@link RecordedBackups}) runs no Job: its status comes
 * from that Job ({@link RecordedJobs}). A finished PiBackup is not looked at again, and
 * the status is written only when it changed: a reconcile of a settled PiBackup makes no request at all. A finished
 * one's status changes once more only when keep's prune Job could not delete its data ({@link PruneStatus}).
 */
@ControllerConfiguration(name = PiBackupReconciler.NAME)
@ApiAccess(group = PiStack.GROUP, resource = "pibackups", verbs = {"get", "list", "watch"},
    why = "the PiBackup controller's informer")
@ApiAccess(group = PiStack.GROUP, resource = "pibackups/status", verbs = "patch",
    why = "the PiBackup controller writes a PiBackup's status (server-side apply)")
@ApiAccess(group = "batch", resource = "jobs", verbs = {"get", "list", "watch", "create"},
    why = "creates a PiBackup's backup and verification Jobs; its informer watches them")
public class PiBackupReconciler implements Reconciler<PiBackup> {
  public static final String NAME = "pibackup";
  private static final Logger LOG = LoggerFactory.getLogger(PiBackupReconciler.class);

  private final KubernetesClient client;
  private final Clock clock;
  private RecordedJobs recorded;

  public PiBackupReconciler(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, PiBackup>> prepareEventSources(EventSourceContext<PiBackup> context) {
    var jobs = InformerEventSourceConfiguration.from(Job.class, PiBackup.class)
        .withLabelSelector(PiBackupJobs.SELECTOR)
        .withNamespacesInheritedFromController()
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(PiBackup.class))
        .build();
    recorded = new RecordedJobs(context);
    List<EventSource<?, PiBackup>> sources = new ArrayList<>(List.of(new InformerEventSource<>(jobs, context)));
    sources.addAll(recorded.sources());
    return sources;
  }

  @Override
  public UpdateControl<PiBackup> reconcile(PiBackup backup, Context<PiBackup> context) {
    if (PiBackupDecision.done(backup)) { // only keep's prune Job may still have something to say (PruneStatus)
      var jobs = PruneResults.recorded(client, backup, context.getSecondaryResources(Job.class));
      return PruneStatus.next(backup, jobs, clock)
          .map(s -> write(backup, s, context)).orElseGet(UpdateControl::noUpdate);
    }
    List<Job> owned = context.getSecondaryResources(Job.class).stream()
        .filter(j -> Ownership.ownedBy(j, backup)).toList();
    Optional<RecordedBackups.JobRef> ref = RecordedBackups.jobOf(backup); // a CronJob run or pre-upgrade backup
    Job job = ref.isPresent() ? recorded.find(client, backup, ref.get())
        : named(owned, PiBackupJobs.backupName(backup)).orElseGet(() -> recorded(backup));
    Job verify = named(owned, PiBackupJobs.verifyName(backup)).orElse(null);
    boolean needsStack = job == null && ref.isEmpty() || backup.getSpec().verifyWanted() && verify == null;
    StackLookup.Found stack = ref.isPresent() && job == null ? RecordedJobs.gone(ref.get())
        : needsStack ? StackLookup.of(client, backup) : new StackLookup.Found(null, null);

    List<Job> finished = new ArrayList<>();
    if (job != null && JobOutcome.of(job).finished()) {
      finished.add(job);
    }
    if (verify != null && JobOutcome.of(verify).finished()) {
      finished.add(verify);
    }
    Map<String, String> messages = finished.isEmpty() ? Map.of() : JobTerminationMessages.read(client, finished);
    PiBackupDecision.Result r = PiBackupDecision.decide(backup, Optional.ofNullable(stack.problem()), job,
        job == null ? null : messages.get(job.getMetadata().getName()), verify,
        verify == null ? null : messages.get(verify.getMetadata().getName()), clock);

    if (r.createBackup() && stack.stack() != null) {
      create(PiBackupJobs.backup(stack.stack(), backup));
      r.status().jobName = PiBackupJobs.backupName(backup);
    }
    if (r.createVerification() && stack.stack() != null) {
      create(PiBackupJobs.verify(stack.stack(), backup, r.status().backupName));
    }
    return Objects.equals(r.status(), backup.getStatus()) ? UpdateControl.noUpdate() : write(backup, r.status(), context);
  }

  private static UpdateControl<PiBackup> write(PiBackup backup, PiBackupStatus status, Context<PiBackup> context) {
    PiBackup patch = new PiBackup();
    patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(backup.getMetadata().getName()).withNamespace(backup.getMetadata().getNamespace()).build());
    patch.setStatus(status);
    // Server-side apply of the status, and the result into the cache: the next reconcile reads what was written.
    PrimaryUpdateAndCacheUtils.ssaPatchStatusAndCacheResource(backup, patch, context);
    return UpdateControl.noUpdate();
  }

  /** The status names a Job the cache does not hold (yet, or any more): ask the API server once. */
  private Job recorded(PiBackup backup) {
    PiBackupStatus s = backup.getStatus();
    if (s == null || s.jobName == null) {
      return null;
    }
    Job j = client.batch().v1().jobs().inNamespace(backup.getMetadata().getNamespace()).withName(s.jobName).get();
    return j != null && Ownership.ownedBy(j, backup) ? j : null;
  }

  private void create(Job job) {
    try {
      client.resource(job).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) { // 409: it exists, created by an earlier reconcile: never a second one
        throw e;
      }
      LOG.debug("Job {} exists already", job.getMetadata().getName());
    }
  }

  private static Optional<Job> named(List<Job> jobs, String name) {
    return jobs.stream().filter(j -> name.equals(j.getMetadata().getName())).findFirst();
  }
}
