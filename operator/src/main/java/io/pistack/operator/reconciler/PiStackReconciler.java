package io.pistack.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.AutoscalersDependent;
import io.pistack.operator.dependent.BackupCronJobDependent;
import io.pistack.operator.dependent.BackupJobsDependent;
import io.pistack.operator.dependent.BackupPreconditions;
import io.pistack.operator.dependent.BackupScriptsDependent;
import io.pistack.operator.dependent.BackupVolumeClaimDependent;
import io.pistack.operator.dependent.ComponentVolumesDependent;
import io.pistack.operator.dependent.CredentialsOwnership;
import io.pistack.operator.dependent.DatabaseBackupUserDependent;
import io.pistack.operator.dependent.DatabaseCredentialsDependent;
import io.pistack.operator.dependent.DatabaseRootDependent;
import io.pistack.operator.dependent.DatabaseStatefulSetDependent;
import io.pistack.operator.dependent.DatabaseUserMigration;
import io.pistack.operator.dependent.DatabaseVolumeClaimDependent;
import io.pistack.operator.dependent.DeploymentsDependent;
import io.pistack.operator.dependent.FieldManager;
import io.pistack.operator.dependent.IngressDependent;
import io.pistack.operator.dependent.NetworkPoliciesDependent;
import io.pistack.operator.dependent.Pass;
import io.pistack.operator.dependent.PodDisruptionBudgetDependent;
import io.pistack.operator.dependent.Preconditions;
import io.pistack.operator.dependent.QdrantApiKeyDependent;
import io.pistack.operator.dependent.SecretWatch;
import io.pistack.operator.dependent.ServicesDependent;
import io.pistack.operator.dependent.SharedVolumeClaimDependent;
import io.pistack.operator.health.HealthMonitor;
import io.pistack.operator.health.PodEventSource;
import io.pistack.operator.metrics.OperatorMetrics;
import io.pistack.operator.model.OperatorIdentity;
import io.pistack.operator.model.OperatorPolicy;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.observe.StackObserver;
import io.pistack.operator.status.BackupRestoreStatus;
import io.pistack.operator.status.Observation;
import io.pistack.operator.status.ReferencedSecrets;
import io.pistack.operator.status.StackEvents;
import io.pistack.operator.status.StatusWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one PiStack as the pipeline of docs/architecture.md, each stage called once:
 * spec (resolve once, SpecGate) → desired (Passes) → apply (the workflow, unless paused) → observe
 * (StackObserver) → status (StatusWriter: decide, record the Events of its transitions, write only
 * when it changed; Recheck says when to look again). See docs/status.md.
 */
@ControllerConfiguration(name = PiStackReconciler.NAME, fieldManager = PiStackReconciler.NAME,
    informer = @io.javaoperatorsdk.operator.api.config.informer.Informer(itemStore = io.pistack.operator.dependent.SlimCache.Stacks.class))
@Workflow(explicitInvocation = true, handleExceptionsInReconciler = true, dependents = {
    @Dependent(name = "credentials", type = DatabaseCredentialsDependent.class,
        reconcilePrecondition = Preconditions.GeneratesCredentials.class),
    @Dependent(name = "shared-volume", type = SharedVolumeClaimDependent.class),
    @Dependent(name = "component-volumes", type = ComponentVolumesDependent.class, useEventSourceWithName = "shared-volume"),
    @Dependent(name = "db-root", type = DatabaseRootDependent.class, useEventSourceWithName = "credentials",
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class),
    @Dependent(name = "db-backup", type = DatabaseBackupUserDependent.class, useEventSourceWithName = "credentials",
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class),
    @Dependent(name = "qdrant-api-key", type = QdrantApiKeyDependent.class, useEventSourceWithName = "credentials",
        reconcilePrecondition = Preconditions.QdrantEnabled.class),
    @Dependent(name = "database", type = DatabaseStatefulSetDependent.class, dependsOn = {"db-root", "db-backup"},
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class),
    @Dependent(name = "database-volume", type = DatabaseVolumeClaimDependent.class,
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class, useEventSourceWithName = SharedVolumeClaimDependent.EVENT_SOURCE),
    @Dependent(name = "services", type = ServicesDependent.class),
    @Dependent(name = "network-policies", type = NetworkPoliciesDependent.class),
    @Dependent(name = "deployments", type = DeploymentsDependent.class),
    @Dependent(name = "autoscalers", type = AutoscalersDependent.class),
    @Dependent(name = "disruption-budget", type = PodDisruptionBudgetDependent.class),
    @Dependent(name = "ingress", type = IngressDependent.class, reconcilePrecondition = Preconditions.IngressEnabled.class),
    @Dependent(name = "backup-scripts", type = BackupScriptsDependent.class, reconcilePrecondition = BackupScriptsDependent.Retired.class),
    @Dependent(name = "backup-volume", type = BackupVolumeClaimDependent.class,
        reconcilePrecondition = BackupPreconditions.CreatesClaim.class, useEventSourceWithName = "shared-volume"),
    @Dependent(name = "backup-schedule", type = BackupCronJobDependent.class,
        reconcilePrecondition = BackupPreconditions.BackupsEnabled.class),
    @Dependent(name = "backup-jobs", type = BackupJobsDependent.class),
})
@ApiAccess.PassesClient("hands the context (its client) to CredentialsOwnership and DatabaseUserMigration")
public class PiStackReconciler implements Reconciler<PiStack> {
  public static final String NAME = FieldManager.NAME;
  private static final Logger LOG = LoggerFactory.getLogger(PiStackReconciler.class);

  private final StatusWriter status;
  private final HealthMonitor health;
  private final ErrorBackoff backoff = new ErrorBackoff();
  private final OperatorIdentity operator;
  private final SpecGate gate;
  private final StackObserver observer;

  /**
   * @param operator where the operator runs (its stacks' NetworkPolicies admit its checks from there only)
   * @param policy what it refuses to create for a stack (PolicyCheck)
   */
  public PiStackReconciler(StackEvents events, Clock clock, HealthMonitor health, OperatorMetrics metrics,
      OperatorIdentity operator, OperatorPolicy policy) {
    this.operator = operator;
    this.status = new StatusWriter(events, metrics, clock);
    this.health = health;
    this.gate = new SpecGate(events, policy);
    this.observer = new StackObserver(health, clock);
  }

  /** The stack's pods, the Secrets of the watched namespaces (SecretWatch), the health probes, deletions. */
  @Override
  public List<EventSource<?, PiStack>> prepareEventSources(EventSourceContext<PiStack> context) {
    return List.of(PodEventSource.create(context), SecretWatch.create(context), health, new DeletedStacks(this::forget));
  }

  @Override
  public UpdateControl<PiStack> reconcile(PiStack stack, Context<PiStack> context) {
    // 1. Spec: resolved once (lazily), then the gate: an invalid, refused or foreign-named stack changes only its status.
    ResolvedStack resolved = new ResolvedStack(stack, SecretWatch.lookup(stack, context)).withOperator(operator);
    Optional<Observation> stopped = gate.stop(resolved, context);
    if (stopped.isPresent()) {
      return finish(resolved, context, stopped.get(), null, Optional.empty());
    }
    ReferencedSecrets.Check secrets = ReferencedSecrets.check(resolved);
    // 2. Desired: the lifecycle gates and every desired child, the one value the dependents read.
    Pass pass = Passes.decide(resolved, context);
    pass.keep(context);
    // 3. Apply, unless paused; a failure is retried with a growing back-off and reported once it repeats (ErrorBackoff).
    Optional<String> applyError = Optional.empty();
    List<Exception> applyErrors = List.of();
    if (!resolved.paused()) {
      DatabaseUserMigration.migrate(resolved, context);
      WorkflowReconcileResult result = context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      applyError = ErrorSummary.of(result);
      applyErrors = List.copyOf(result.getErroredDependents().values());
      CredentialsOwnership.sync(resolved, context);
    }
    ResourceID id = ResourceID.fromResource(stack);
    Optional<Duration> retry = applyError.isPresent()
        ? Optional.of(backoff.failed(stack, context, applyErrors, this::forget)) : Optional.empty();
    boolean reportIt = backoff.reported(id, applyErrors);
    // 4. Observe the children.
    StackObserver.Snapshot seen = observer.observe(resolved, pass.plan(), context, secrets, applyError.filter(e -> reportIt));
    Optional<Duration> recheck = Recheck.after(retry, Recheck.jobsPending(pass.plan(), pass.unrecorded()),
        !secrets.all().isEmpty(), seen.unplaced());
    // 5. Status: decide it, announce its transitions, write it if it changed.
    UpdateControl<PiStack> control = finish(resolved, context, seen.observation(), seen.lifecycle(), recheck);
    if (applyError.isEmpty()) {
      backoff.succeeded(id);
    }
    return control;
  }

  /**
   * An error that escaped {@link #reconcile} (the status write, a Secret or Job lookup, the credentials ownership
   * sync): the stack says so (StatusAggregator#failed), written only when it changed; the next attempt follows the
   * back-off for as long as the error lasts. A conflict (409) only means this view was stale: nothing is written.
   */
  @Override
  public ErrorStatusUpdateControl<PiStack> updateErrorStatus(PiStack stack, Context<PiStack> context, Exception e) {
    String summary = ErrorSummary.of(e);
    Duration next = backoff.failed(stack, context, List.of(e), this::forget);
    LOG.warn("reconciling {}/{} failed ({} in a row), next attempt in {}s: {}", stack.getMetadata().getNamespace(),
        stack.getMetadata().getName(), backoff.failures(ResourceID.fromResource(stack)), next.toSeconds(), summary);
    if (!ErrorSummary.isConflict(e)) {
      try {
        status.failed(stack, summary, context);
      } catch (RuntimeException writeFailed) {
        LOG.warn("writing the status of {}/{} failed: {}", stack.getMetadata().getNamespace(),
            stack.getMetadata().getName(), ErrorSummary.of(writeFailed));
      }
    }
    return ErrorStatusUpdateControl.<PiStack>noStatusUpdate().withNoRetry().rescheduleAfter(next);
  }

  private UpdateControl<PiStack> finish(ResolvedStack resolved, Context<PiStack> context, Observation seen,
      BackupRestoreStatus.Seen lifecycle, Optional<Duration> recheck) {
    UpdateControl<PiStack> control = UpdateControl.noUpdate();
    return status.finish(resolved, context, seen, lifecycle, recheck).map(control::rescheduleAfter).orElse(control);
  }

  /** A deleted stack's failure count and creation pace go with it. */
  void forget(ResourceID id) {
    backoff.forget(id);
    status.forget(id);
  }

  /** Stacks the back-off holds a failure count for: those failing now (for tests). */
  public int failingStacks() {
    return backoff.tracked();
  }
}
