package io.pistack.operator.dependent;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Deleter;
import io.javaoperatorsdk.operator.api.reconciler.dependent.GarbageCollected;
import io.javaoperatorsdk.operator.processing.dependent.Creator;
import io.javaoperatorsdk.operator.processing.dependent.KubernetesBulkDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.BackupCronJobBuilder;
import io.pistack.operator.model.BackupJobBuilder;
import io.pistack.operator.model.Labels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The Jobs the operator runs itself (pre-upgrade backup, restore, verification of each new backup), as the {@code LifecyclePlan}
 * wants them: created once, never updated (a Job's pod template is immutable, and a finished Job
 * is the record of its outcome), deleted when no longer wanted.
 *
 * <p>Its informer watches every labelled Job, including the runs of the backup CronJob, and maps
 * each to its PiStack by the instance label: a backup finishing is an event, not something polled. What is read or
 * deleted is matched by owner uid ({@link StackJobs}): only the Jobs this PiStack owns are managed here; CronJob runs
 * belong to the CronJob.
 */
@KubernetesDependent(informer = @Informer(labelSelector = Labels.MANAGED_SELECTOR, itemStore = SlimCache.Children.class))
public class BackupJobsDependent extends KubernetesDependentResource<Job, PiStack>
    implements KubernetesBulkDependentResource<Job, PiStack>, Creator<Job, PiStack>, Deleter<PiStack>,
    GarbageCollected<PiStack>, SecondaryToPrimaryMapper<Job> {

  private static final Set<String> OWN_KINDS =
      Set.of(BackupJobBuilder.PRE_UPGRADE, BackupJobBuilder.RESTORE, BackupJobBuilder.VERIFY);

  public BackupJobsDependent() {
    super(Job.class);
  }

  @Override
  public Map<ResourceID, Job> desiredResources(PiStack primary, Context<PiStack> context) {
    return Projection.byId(Pass.of(context).desired().all(Job.class));
  }

  /**
   * The operator's own Jobs as the plan saw them when it decided (see {@link Pass#observedJobs}), not as the
   * cache holds them now: what is created is only what the plan decided to start.
   */
  @Override
  public Map<ResourceID, Job> getSecondaryResources(PiStack primary, Context<PiStack> context) {
    Predicate<Job> own = secondaryResourceFilter(primary, context);
    Map<ResourceID, Job> seen = new LinkedHashMap<>();
    Pass.of(context).observedJobs().stream().filter(own).forEach(j -> seen.put(ResourceID.fromResource(j), j));
    return seen;
  }

  /**
   * A Job that exists is the one wanted: Jobs are created once and never updated (their pod template is immutable).
   * Without this, a desired Job that differs from the live one (a restore whose source is no longer looked up once it
   * succeeded, an operator upgrade that changed a template) made the bulk reconciler try an update this Creator
   * cannot do (ClassCastException to Updater), failing every later apply.
   */
  @Override
  public io.javaoperatorsdk.operator.processing.dependent.Matcher.Result<Job> match(Job actual, Job desired,
      PiStack primary, Context<PiStack> context) {
    return io.javaoperatorsdk.operator.processing.dependent.Matcher.Result.nonComputed(true);
  }

  /**
   * A finished Job the status has not recorded yet is deleted by a later reconcile (see Pass#unrecorded), and a
   * pre-upgrade backup Job only once its PiBackup has read its outcome (RecordedBackups#holds).
   */
  @Override
  public void deleteTargetResource(PiStack primary, Job resource, ResourceID key, Context<PiStack> context) {
    if (!Pass.of(context).unrecorded().contains(resource.getMetadata().getName())
        && !StackBackups.all(context).map(b -> io.pistack.operator.model.RecordedBackups.holds(resource, b))
        .orElse(false)) {
      super.deleteTargetResource(primary, resource, key, context);
    }
  }

  @Override
  public Predicate<Job> secondaryResourceFilter(PiStack primary, Context<PiStack> context) {
    // Owned by this PiStack (uid): a Job that only carries the labels is never deleted (StackJobs).
    return j -> j.getMetadata().getLabels() != null
        && OWN_KINDS.contains(j.getMetadata().getLabels().get(BackupCronJobBuilder.JOB_KIND))
        && io.pistack.operator.model.Ownership.ownedBy(j, primary);
  }

  @Override
  public Set<ResourceID> toPrimaryResourceIDs(Job job) {
    Map<String, String> labels = job.getMetadata().getLabels();
    String instance = labels == null ? null : labels.get(Labels.INSTANCE);
    return instance == null ? Set.of() : Set.of(new ResourceID(instance, job.getMetadata().getNamespace()));
  }
}
