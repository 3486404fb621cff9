package io.pistack.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
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
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.AutoscalersDependent;
import io.pistack.operator.dependent.BackupCronJobDependent;
import io.pistack.operator.dependent.BackupJobsDependent;
import io.pistack.operator.dependent.BackupPreconditions;
import io.pistack.operator.dependent.BackupScriptsDependent;
import io.pistack.operator.dependent.BackupVolumeClaimDependent;
import io.pistack.operator.dependent.ComponentVolumesDependent;
import io.pistack.operator.dependent.CredentialsOwnership;
import io.pistack.operator.dependent.Plans;
import io.pistack.operator.dependent.DatabaseCredentialsDependent;
import io.pistack.operator.dependent.DatabaseRootDependent;
import io.pistack.operator.dependent.DatabaseBackupUserDependent;
import io.pistack.operator.dependent.DatabaseUserMigration;
import io.pistack.operator.dependent.DatabaseStatefulSetDependent;
import io.pistack.operator.dependent.DatabaseVolumeClaimDependent;
import io.pistack.operator.dependent.DeploymentsDependent;
import io.pistack.operator.dependent.ForeignNames;
import io.pistack.operator.dependent.IngressDependent;
import io.pistack.operator.dependent.NetworkPoliciesDependent;
import io.pistack.operator.dependent.PodDisruptionBudgetDependent;
import io.pistack.operator.dependent.Preconditions;
import io.pistack.operator.dependent.QdrantApiKeyDependent;
import io.pistack.operator.dependent.Resolved;
import io.pistack.operator.dependent.ServicesDependent;
import io.pistack.operator.dependent.SharedVolumeClaimDependent;
import io.pistack.operator.dependent.SecretWatch;
import io.pistack.operator.dependent.StackJobs;
import io.pistack.operator.health.HealthConfig;
import io.pistack.operator.health.HealthMonitor;
import io.pistack.operator.health.PodEventSource;
import io.pistack.operator.health.StackHealth;
import io.pistack.operator.health.UnplacedPods;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.OperatorIdentity;
import io.pistack.operator.model.OperatorPolicy;
import io.pistack.operator.model.PolicyCheck;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SpecValidator;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.metrics.OperatorMetrics;
import io.pistack.operator.status.BackupRestoreStatus;
import io.pistack.operator.status.Observation;
import io.pistack.operator.status.ReferencedSecrets;
import io.pistack.operator.status.StackEvents;
import io.pistack.operator.status.StatusWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one PiStack, top to bottom (the numbered steps of {@link #reconcile}): resolve the
 * spec once, validate it, stop at a name held by a foreign object (NameTaken), check the Secrets it names, decide the lifecycle gates, apply the
 * children (unless paused), observe them (Deployments, the database StatefulSet, the stack's pods
 * and the active health probes' results), decide the status (StatusAggregator, the one place for
 * conditions), record the Events of its transitions, and write it only when it changed. See
 * docs/status.md.
 */
@ControllerConfiguration(name = PiStackReconciler.NAME, fieldManager = PiStackReconciler.NAME,
    informer = @io.javaoperatorsdk.operator.api.config.informer.Informer(itemStore = io.pistack.operator.dependent.SlimCache.Stacks.class))
@Workflow(explicitInvocation = true, handleExceptionsInReconciler = true, dependents = {
    @Dependent(name = "credentials", type = DatabaseCredentialsDependent.class,
        reconcilePrecondition = Preconditions.GeneratesCredentials.class),
    @Dependent(name = "shared-volume", type = SharedVolumeClaimDependent.class),
    // A component's own volume (Qdrant's): the same PVC informer.
    @Dependent(name = "component-volumes", type = ComponentVolumesDependent.class,
        useEventSourceWithName = "shared-volume"),
    // Root's password (the MariaDB pod only): the same informer as the credentials.
    @Dependent(name = "db-root", type = DatabaseRootDependent.class, useEventSourceWithName = "credentials",
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class),
    // The read-only backup user (the MariaDB pod creates it, the backup Jobs use it): the same informer.
    @Dependent(name = "db-backup", type = DatabaseBackupUserDependent.class, useEventSourceWithName = "credentials",
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class),
    // Qdrant's API key (the Qdrant pod and the dashboard): the same informer.
    @Dependent(name = "qdrant-api-key", type = QdrantApiKeyDependent.class, useEventSourceWithName = "credentials",
        reconcilePrecondition = Preconditions.QdrantEnabled.class),
    @Dependent(name = "database", type = DatabaseStatefulSetDependent.class, dependsOn = {"db-root", "db-backup"},
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class),
    // Grows data-<stack>-db-0 (created by the StatefulSet controller): the same PVC informer.
    @Dependent(name = "database-volume", type = DatabaseVolumeClaimDependent.class,
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class, useEventSourceWithName = PiStackReconciler.PVC_EVENT_SOURCE),
    @Dependent(name = "services", type = ServicesDependent.class),
    @Dependent(name = "network-policies", type = NetworkPoliciesDependent.class),
    @Dependent(name = "deployments", type = DeploymentsDependent.class),
    @Dependent(name = "autoscalers", type = AutoscalersDependent.class),
    @Dependent(name = "disruption-budget", type = PodDisruptionBudgetDependent.class),
    @Dependent(name = "ingress", type = IngressDependent.class,
        reconcilePrecondition = Preconditions.IngressEnabled.class),
    // Retired: only deletes the scripts ConfigMap of earlier versions (the Jobs carry their scripts).
    @Dependent(name = "backup-scripts", type = BackupScriptsDependent.class,
        reconcilePrecondition = BackupScriptsDependent.Retired.class),
    // One PVC informer for both claims.
    @Dependent(name = "backup-volume", type = BackupVolumeClaimDependent.class,
        reconcilePrecondition = BackupPreconditions.CreatesClaim.class, useEventSourceWithName = "shared-volume"),
    @Dependent(name = "backup-schedule", type = BackupCronJobDependent.class,
        reconcilePrecondition = BackupPreconditions.BackupsEnabled.class),
    @Dependent(name = "backup-jobs", type = BackupJobsDependent.class),
})
@ApiAccess.PassesClient("hands context.getClient() to JobTerminationMessages, CredentialsOwnership and DatabaseUserMigration")
public class PiStackReconciler implements Reconciler<PiStack> {
  public static final String NAME = "pi-operator";
  /** The one PVC informer, the shared-volume dependent's, which the other claims' dependents use too. */
  public static final String PVC_EVENT_SOURCE = "shared-volume";
  static final Duration RECHECK_RECORDED_JOBS = Duration.ofSeconds(2);
  /**
   * While a named Secret is missing. Its creation reaches the stack through the Secret watch at once
   * (BadInputTest); this slow recheck only keeps the stuck stack's error counted in
   * pi_operator_reconcile_errors_total, whose alert rates it over 10 minutes.
   */
  static final Duration RECHECK_MISSING_SECRETS = Duration.ofMinutes(5);
  private static final Logger LOG = LoggerFactory.getLogger(PiStackReconciler.class);

  private final StackEvents events;
  private final StatusWriter status;
  private final HealthMonitor health;
  private final ErrorBackoff backoff = new ErrorBackoff();
  private final Clock clock;
  private final OperatorIdentity operator;
  private final OperatorPolicy policy;

  public PiStackReconciler(StackEvents events, Clock clock) {
    this(events, clock, new HealthMonitor(HealthConfig.disabled(), clock), new OperatorMetrics());
  }

  public PiStackReconciler(StackEvents events, Clock clock, HealthMonitor health, OperatorMetrics metrics) {
    this(events, clock, health, metrics, OperatorIdentity.OUTSIDE, OperatorPolicy.DEFAULT);
  }

  /**
   * @param operator where the operator runs (its stacks' NetworkPolicies admit its checks from there only)
   * @param policy what it refuses to create for a stack (PolicyCheck)
   */
  public PiStackReconciler(StackEvents events, Clock clock, HealthMonitor health, OperatorMetrics metrics,
      OperatorIdentity operator, OperatorPolicy policy) {
    this.operator = operator;
    this.policy = policy;
    this.events = events;
    this.status = new StatusWriter(events, metrics, clock);
    this.health = health;
    this.clock = clock;
  }

  /**
   * The stack's pods (label-selected), the Secrets of the watched namespaces as metadata and
   * digests (SecretWatch), the active health probes, and the stacks' deletions (DeletedStacks),
   * beside the dependents' informers.
   */
  @Override
  public List<EventSource<?, PiStack>> prepareEventSources(EventSourceContext<PiStack> context) {
    return List.of(PodEventSource.create(context), SecretWatch.create(context), health,
        new DeletedStacks(this::forget));
  }

  /**
   * Counts a failure of the stack (ErrorBackoff) and gives the delay before its next attempt. A
   * stack deleted while this reconcile ran keeps no count: the informer drops it from the cache
   * before it tells DeletedStacks, so either this check sees it gone or the forget comes after.
   */
  private Duration failed(PiStack stack, Context<PiStack> context, List<? extends Throwable> errors) {
    ResourceID id = ResourceID.fromResource(stack);
    Duration next = backoff.failed(id, stack.getMetadata().getGeneration(), errors);
    if (context.getPrimaryCache().get(id).isEmpty()) {
      forget(id);
    }
    return next;
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

  @Override
  public UpdateControl<PiStack> reconcile(PiStack stack, Context<PiStack> context) {
    // 1. Resolve the spec once: the dependents and the status read this same view (see Resolved).
    //    Resolving is lazy: nothing is computed from the spec before it is validated.
    Resolved.servedBy(operator, context);
    ResolvedStack resolved = Resolved.of(stack, context);
    // 2. Validate it: an invalid spec changes nothing but the status.
    List<String> problems = SpecValidator.validate(stack).stream().map(Object::toString).toList();
    if (!problems.isEmpty()) {
      return finish(resolved, context, Observation.invalid(problems), null, Optional.empty());
    }
    // 2b. What the operator's policy refuses (docs/security.md): reported the same way, nothing applied.
    List<String> refused = PolicyCheck.messages(PolicyCheck.check(resolved, policy));
    if (!refused.isEmpty()) {
      return finish(resolved, context, Observation.refused(refused), null, Optional.empty());
    }
    if (isNewGeneration(stack)) {
      // Advice is given once per spec generation, so a restarted operator does not repeat it.
      SpecValidator.warnings(stack).forEach(w -> events.warning(stack, w.reason(), w.toString()));
    }
    // 3. Never act on an object the operator did not create: a name held by one stops the stack here, before
    //    anything could mount, patch or own it (ForeignNames).
    List<String> taken = ForeignNames.taken(resolved, context);
    if (!taken.isEmpty()) {
      return finish(resolved, context, Observation.namesTaken(taken), null, Optional.empty());
    }
    // 4. Check the Secrets it names.
    ReferencedSecrets.Check secrets = ReferencedSecrets.check(resolved);
    // 5. Decide the restore and pre-upgrade gates once from the caches; the dependents build from it.
    LifecyclePlan plan = Plans.current(stack, context);
    Set<String> unrecorded = BackupRestoreStatus.needingDetail(resolved, plan, StackJobs.of(stack, context))
        .stream().map(j -> j.getMetadata().getName()).collect(java.util.stream.Collectors.toSet());
    Plans.keepUnrecorded(context, unrecorded);
    // 6. Apply the children, unless paused.
    Optional<String> applyError = Optional.empty();
    List<Exception> applyErrors = List.of();
    if (!resolved.paused()) {
      // A stack created before the application user moves onto it first (once): root's Secret, new credentials.
      DatabaseUserMigration.migrate(resolved, context);
      WorkflowReconcileResult result =
          context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      applyError = summarise(result);
      applyErrors = List.copyOf(result.getErroredDependents().values());
      CredentialsOwnership.sync(resolved, context);
    }
    // 7. Observe them. A failed apply is retried with a growing back-off (ErrorBackoff), which wins
    // over the short recheck below; a "try again" answer (409, 429, 5xx, none) is only reported once
    // it repeats. Otherwise: a kept Job, recorded by this reconcile, is deleted by a later one, and a
    // pre-upgrade Job once the Deployments report the new version: make sure such a reconcile comes
    // soon. A missing Secret's creation reaches the stack through the Secret watch.
    ResourceID id = ResourceID.fromResource(stack);
    Optional<Duration> retry = applyError.isPresent() ? Optional.of(failed(stack, context, applyErrors)) : Optional.empty();
    boolean reportIt = backoff.reported(id, applyErrors);
    Optional<String> reportedError = applyError.filter(e -> reportIt);
    Map<Component, Deployment> deployments = deployments(context);
    health.serving(id, serving(deployments));
    // A pod the scheduler could not place counts once that has lasted a while (UnplacedPods).
    List<Pod> pods = List.copyOf(context.getSecondaryResources(Pod.class));
    Optional<Duration> unplaced = UnplacedPods.recheck(pods, clock.instant());
    Observation seen = new Observation(deployments, context.getSecondaryResource(StatefulSet.class),
        UnplacedPods.settled(pods, clock.instant()),
        context.getSecondaryResource(StackHealth.class, HealthMonitor.NAME).orElse(StackHealth.DISABLED),
        List.of(), secrets.other(), secrets.credentials(), reportedError);
    boolean missing = !secrets.other().isEmpty() || !secrets.credentials().isEmpty();
    Optional<Duration> recheck = retry.isPresent() ? retry
        : !unrecorded.isEmpty() || plan.upgrade().rollingOut()
        || (plan.drain().active() && plan.drain().step() != io.pistack.operator.model.DrainDecision.Step.STUCK)
        ? Optional.of(RECHECK_RECORDED_JOBS) : missing ? Optional.of(RECHECK_MISSING_SECRETS) : Optional.empty();
    if (retry.isEmpty() && unplaced.isPresent() && recheck.map(r -> r.compareTo(unplaced.get()) > 0).orElse(true)) {
      recheck = unplaced;
    }
    // 8. Decide the status, announce its transitions, write it if it changed.
    UpdateControl<PiStack> control = finish(resolved, context, seen, lifecycle(resolved, plan, context), recheck);
    if (applyError.isEmpty()) {
      backoff.succeeded(id);
    }
    return control;
  }

  /**
   * An error that escaped {@link #reconcile} (the status write, a Secret or Job lookup, the
   * credentials ownership sync): the stack says so (StatusAggregator#failed: Ready=False
   * ReconcileFailed, with a secret-free summary), written only when it changed, and the next attempt
   * follows the same back-off as a failed apply, for as long as the error lasts (never "retries
   * spent" with a frozen status). A conflict (409) only means this view was stale: nothing is
   * written, the retry reads the newer stack.
   */
  @Override
  public ErrorStatusUpdateControl<PiStack> updateErrorStatus(PiStack stack, Context<PiStack> context, Exception e) {
    String summary = ErrorSummary.of(e);
    Duration next = failed(stack, context, List.of(e));
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

  /**
   * What the Jobs say, seen after applying on purpose: a Job that finished meanwhile is recorded
   * together with its outcome (the set computed before the workflow only decides which Jobs are
   * kept). Pods are read only for Jobs the status lacks.
   */
  private static BackupRestoreStatus.Seen lifecycle(ResolvedStack resolved, LifecyclePlan plan,
      Context<PiStack> context) {
    List<Job> jobs = StackJobs.of(resolved.source(), context);
    List<Job> needed = BackupRestoreStatus.needingDetail(resolved, plan, jobs);
    Map<String, String> messages = needed.isEmpty() ? Map.of() : JobTerminationMessages.read(context.getClient(), needed);
    return BackupRestoreStatus.observe(resolved, plan, jobs, messages);
  }

  /** Components with at least one ready pod: their Services have something to probe. */
  private static Set<String> serving(Map<Component, Deployment> deployments) {
    Set<String> keys = new HashSet<>();
    deployments.forEach((c, d) -> {
      if (d.getStatus() != null && d.getStatus().getReadyReplicas() != null && d.getStatus().getReadyReplicas() > 0) {
        keys.add(c.part());
      }
    });
    return keys;
  }

  /** Decides, announces and writes the status (StatusWriter); the next reconcile comes after {@code recheck}. */
  private UpdateControl<PiStack> finish(ResolvedStack resolved, Context<PiStack> context, Observation seen,
      BackupRestoreStatus.Seen lifecycle, Optional<Duration> recheck) {
    UpdateControl<PiStack> control = UpdateControl.noUpdate();
    return status.finish(resolved, context, seen, lifecycle, recheck).map(control::rescheduleAfter).orElse(control);
  }

  private static boolean isNewGeneration(PiStack stack) {
    return stack.getStatus() == null
        || !java.util.Objects.equals(stack.getStatus().observedGeneration, stack.getMetadata().getGeneration());
  }

  private static Map<Component, Deployment> deployments(Context<PiStack> context) {
    Map<Component, Deployment> byComponent = new EnumMap<>(Component.class);
    context.getSecondaryResources(Deployment.class).forEach(d -> {
      String part = d.getMetadata().getLabels().get(Labels.COMPONENT);
      if (part != null) {
        byComponent.put(Component.fromPart(part), d);
      }
    });
    return byComponent;
  }

  /**
   * One line per failed dependent. Kubernetes API errors are reduced to their status code and
   * reason: server messages can echo object content, and logs and status must never carry secrets.
   */
  static Optional<String> summarise(WorkflowReconcileResult result) {
    if (!result.erroredDependentsExist()) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder();
    result.getErroredDependents().forEach((dependent, error) -> {
      String what = dependent.name() == null ? dependent.getClass().getSimpleName() : dependent.name();
      LOG.warn("applying {} failed: {}", what, ErrorSummary.of(error));
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(what).append(": ").append(ErrorSummary.of(error));
    });
    return Optional.of(sb.toString());
  }
}
