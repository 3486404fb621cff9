package io.pistack.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.dependent.AutoscalersDependent;
import io.pistack.operator.dependent.DatabaseCredentialsDependent;
import io.pistack.operator.dependent.DatabaseStatefulSetDependent;
import io.pistack.operator.dependent.DeploymentsDependent;
import io.pistack.operator.dependent.IngressDependent;
import io.pistack.operator.dependent.PodDisruptionBudgetDependent;
import io.pistack.operator.dependent.Preconditions;
import io.pistack.operator.dependent.ServicesDependent;
import io.pistack.operator.dependent.SharedVolumeClaimDependent;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.Labels;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SpecValidator;
import io.pistack.operator.access.ApiAccess;
import io.pistack.operator.runtime.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles one PiStack, top to bottom: validate the spec, check the Secrets it names, apply the
 * children (unless paused), observe them, and write the status only when it changed.
 */
@ControllerConfiguration(name = PiStackReconciler.NAME, fieldManager = PiStackReconciler.NAME)
@Workflow(explicitInvocation = true, handleExceptionsInReconciler = true, dependents = {
    @Dependent(name = "credentials", type = DatabaseCredentialsDependent.class,
        reconcilePrecondition = Preconditions.GeneratesCredentials.class),
    @Dependent(name = "shared-volume", type = SharedVolumeClaimDependent.class),
    @Dependent(name = "database", type = DatabaseStatefulSetDependent.class,
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class),
    @Dependent(name = "services", type = ServicesDependent.class),
    @Dependent(name = "deployments", type = DeploymentsDependent.class),
    @Dependent(name = "autoscalers", type = AutoscalersDependent.class),
    @Dependent(name = "disruption-budget", type = PodDisruptionBudgetDependent.class,
        reconcilePrecondition = Preconditions.DashboardCanScaleOut.class),
    @Dependent(name = "ingress", type = IngressDependent.class,
        reconcilePrecondition = Preconditions.IngressEnabled.class),
})
@ApiAccess.PassesClient("hands context.getClient() to ReferencedSecrets")
public class PiStackReconciler implements Reconciler<PiStack> {
  public static final String NAME = "pi-operator";
  /** While a named Secret is missing there is no watch on it (no Secret cache): look again. */
  static final Duration RECHECK_MISSING_SECRETS = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(PiStackReconciler.class);

  private final StatusAggregator statusAggregator;
  private final StackEvents events;
  private final StatusMetrics statusMetrics;

  public PiStackReconciler(StackEvents events, Clock clock) {
    this(events, clock, new OperatorMetrics());
  }

  public PiStackReconciler(StackEvents events, Clock clock, OperatorMetrics metrics) {
    this.events = events;
    this.statusAggregator = new StatusAggregator(clock);
    this.statusMetrics = new StatusMetrics(metrics);
  }

  @Override
  public UpdateControl<PiStack> reconcile(PiStack stack, Context<PiStack> context) {
    ResolvedStack resolved = new ResolvedStack(stack);

    List<String> problems = SpecValidator.validate(stack).stream().map(Object::toString).toList();
    if (!problems.isEmpty()) {
      return finish(stack, Observation.invalid(problems), false);
    }
    SpecValidator.warnings(stack).forEach(w -> events.warning(stack, "UnpinnedVersion", w));

    List<String> missing = ReferencedSecrets.missing(context.getClient(), resolved);
    Optional<String> applyError = Optional.empty();
    if (!resolved.paused()) {
      WorkflowReconcileResult result =
          context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      applyError = summarise(result);
    }
    Observation seen = new Observation(deployments(context), context.getSecondaryResource(StatefulSet.class),
        List.of(), missing, applyError);
    return finish(stack, seen, !missing.isEmpty() || applyError.isPresent());
  }

  private UpdateControl<PiStack> finish(PiStack stack, Observation seen, boolean recheck) {
    PiStackStatus next = statusAggregator.aggregate(stack, seen);
    announce(stack, stack.getStatus(), next);
    statusMetrics.record(stack, next);
    UpdateControl<PiStack> control;
    if (next.equals(stack.getStatus())) {
      control = UpdateControl.noUpdate();
    } else {
      PiStack patch = new PiStack();
      patch.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
          .withName(stack.getMetadata().getName()).withNamespace(stack.getMetadata().getNamespace())
          .build());
      patch.setStatus(next);
      control = UpdateControl.patchStatus(patch);
    }
    return recheck ? control.rescheduleAfter(RECHECK_MISSING_SECRETS) : control;
  }

  /** A Warning event when the stack turns bad, a Normal one when it becomes ready. */
  private void announce(PiStack stack, PiStackStatus before, PiStackStatus after) {
    Condition was = ready(before);
    Condition now = ready(after);
    if (now == null || (was != null && was.getReason().equals(now.getReason())
        && was.getMessage().equals(now.getMessage()))) {
      return;
    }
    switch (now.getReason()) {
      case "AllComponentsReady" -> events.normal(stack, "Ready", now.getMessage());
      case "InvalidSpec", "ReconcileFailed", "SecretNotFound" ->
          events.warning(stack, now.getReason(), now.getMessage());
      default -> { }
    }
  }

  private static Condition ready(PiStackStatus s) {
    return s == null || s.conditions == null ? null : s.conditions.stream()
        .filter(c -> Conditions.READY.equals(c.getType())).findFirst().orElse(null);
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
