package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.managed.DefaultManagedWorkflowAndDependentResourceContext;
import io.javaoperatorsdk.operator.processing.dependent.Matcher;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.BackupJobBuilder;
import io.pistack.operator.model.BackupSettings;
import io.pistack.operator.desired.DesiredStacks;
import io.pistack.operator.model.JobNames;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import org.junit.jupiter.api.Test;

/**
 * What the Jobs dependent creates, run through JOSDK's own bulk reconciler. The plan is decided at the start of
 * a reconcile; the informer cache keeps changing while the workflow runs. A finished restore Job the plan saw
 * (kept as the record of its outcome) that is deleted before the workflow reaches this dependent (TTL,
 * kubectl, the garbage collector finishing an orphaning delete) must not look "missing" and be created again:
 * that would run the same restore a second time, over the data written since. The clean-clone CI found it as a
 * restore Job that did not go away (S3BackupsOnRealApiTest).
 */
class BackupJobsDependentTest {

  @Test
  void aRestoreJobThePlanSawIsNotCreatedAgainWhenItIsDeletedBeforeTheDependentRuns() {
    PiStack stack = restoring();
    Set<Job> cache = new CopyOnWriteArraySet<>();
    Context<PiStack> context = reconcileContext(stack, cache);
    Job finished = succeeded(BackupJobBuilder.restore(new ResolvedStack(stack), request(stack)), stack);
    stack.getStatus().restore = new RestoreStatus();
    stack.getStatus().restore.phase = RestoreStatus.Phase.Succeeded;
    stack.getStatus().restore.jobName = finished.getMetadata().getName();
    cache.add(finished);

    // Step 5 of the reconcile: the plan is decided from the cache, with the finished Job kept as its record.
    assertThat(decide(stack, context).plan().restore().jobWanted()).isTrue();
    // Then the Job is deleted and the informer sees it go, while the other dependents are applied.
    cache.clear();
    Recording jobs = new Recording();
    jobs.reconcile(stack, context);

    assertThat(jobs.created).extracting(j -> j.getMetadata().getName()).as("Jobs created").isEmpty();
  }

  @Test
  void aRestoreThePlanDecidedToStartIsCreatedOnce() {
    PiStack stack = restoring();
    Set<Job> cache = new CopyOnWriteArraySet<>();
    Context<PiStack> context = reconcileContext(stack, cache);
    assertThat(decide(stack, context).plan().restore().phase()).isEqualTo(RestoreStatus.Phase.Running);

    Recording jobs = new Recording();
    jobs.reconcile(stack, context);

    assertThat(jobs.created).extracting(j -> j.getMetadata().getName())
        .containsExactly(JobNames.restore(new ResolvedStack(stack), request(stack)));
  }

  /** The Jobs dependent, with its API calls recorded instead of made. */
  static final class Recording extends BackupJobsDependent {
    final List<Job> created = new CopyOnWriteArrayList<>();

    @Override
    public Job create(Job desired, PiStack primary, Context<PiStack> context) {
      created.add(desired);
      return desired;
    }

    /** A Job that exists is left alone (the dependent is no Updater): nothing to compare here. */
    @Override
    public Matcher.Result<Job> match(Job actual, Job desired, PiStack primary, Context<PiStack> context) {
      return Matcher.Result.nonComputed(true);
    }

    @Override
    protected void onCreated(PiStack primary, Job created, Context<PiStack> context) {
      // no informer here to tell about it
    }
  }

  private static PiStack restoring() {
    PiStack stack = Stacks.sample("minimal.yaml", "jobs");
    stack.getSpec().restore = new RestoreSpec();
    stack.getSpec().restore.backup = "latest";
    stack.getMetadata().setUid("stack-uid");
    stack.setStatus(new PiStackStatus());
    return stack;
  }

  private static BackupSettings.RestoreRequest request(PiStack stack) {
    return new ResolvedStack(stack).backup().restore().orElseThrow();
  }

  /** What the reconciler keeps before the workflow runs (reconciler.Apply, before the workflow), from the cache as it is now. */
  private static Pass decide(PiStack stack, Context<PiStack> context) {
    ResolvedStack resolved = new ResolvedStack(stack);
    Observed seen = Observed.read(resolved, context);
    LifecyclePlan plan = LifecyclePlan.decide(resolved, seen.deployments(), seen.jobs(), seen.database(), seen.pods());
    Pass pass = new Pass(resolved, plan, seen.jobs(), DesiredStacks.of(resolved, plan, seen.live()));
    pass.keep(context);
    return pass;
  }

  /** As the API server stores it: finished, and owned by the stack (the dependent sets the owner on create). */
  private static Job succeeded(Job job, PiStack owner) {
    String at = "2026-12-06T18:00:00Z";
    return new JobBuilder(job).editMetadata().withUid("first").withOwnerReferences(
            new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion()).withKind(owner.getKind()).withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid()).withController(true).build())
        .endMetadata().withNewStatus().withSucceeded(1)
        .withCompletionTime(at).addToConditions(new JobConditionBuilder().withType("Complete").withStatus("True")
            .withLastTransitionTime(at).build())
        .endStatus().build();
  }

  /**
   * A reconcile's context whose Job cache is {@code jobs} (as the informer holds them at each call), with a
   * ready database and no Deployments (the dashboard and the scheduler run no pods).
   */
  @SuppressWarnings("unchecked")
  private static Context<PiStack> reconcileContext(PiStack primary, Set<Job> jobs) {
    var shared = new DefaultManagedWorkflowAndDependentResourceContext<>(null, primary, null);
    StatefulSet database = new StatefulSetBuilder().withNewMetadata().withName("jobs-db").endMetadata()
        .withNewStatus().withReadyReplicas(1).endStatus().build();
    return (Context<PiStack>) Proxy.newProxyInstance(BackupJobsDependentTest.class.getClassLoader(),
        new Class<?>[] {Context.class}, (proxy, method, args) -> switch (method.getName()) {
          case "managedWorkflowAndDependentResourceContext" -> shared;
          case "getSecondaryResources" -> args[0] == Job.class ? Set.copyOf(jobs) : Set.of();
          case "getSecondaryResourcesAsStream" -> args[0] == Job.class ? Set.copyOf(jobs).stream()
              : java.util.stream.Stream.empty();
          case "getSecondaryResource" -> args[0] == StatefulSet.class ? Optional.of(database) : Optional.empty();
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
