package io.pistack.operator.reconciler;

import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.FieldManager;
import io.pistack.operator.dependent.Pass;
import io.pistack.operator.dependent.SecretWatch;
import io.pistack.operator.dependent.ShardScope;
import io.pistack.operator.dependent.SlimCache;
import io.pistack.operator.dependent.StackBackups;
import io.pistack.operator.dependent.StackWorkflow;
import io.pistack.operator.health.HealthMonitor;
import io.pistack.operator.health.PodEventSource;
import io.pistack.operator.metrics.OperatorMetrics;
import io.pistack.operator.model.OperatorIdentity;
import io.pistack.operator.model.OperatorPolicy;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.observe.StackObserver;
import io.pistack.operator.status.Snapshot;
import io.pistack.operator.status.StackEvents;
import io.pistack.operator.status.StatusWriter;
import java.time.Clock;
import java.util.List;

/**
 * Reconciles one PiStack as the pipeline of docs/architecture.md, each stage called once: spec (SpecGate) → desired
 * (Passes) → apply (Apply, unless paused; Failures) → observe (StackObserver: one Snapshot) → status (StatusWriter:
 * decide the status and when to look again, record its Events and metrics, write only when it changed). See
 * docs/status.md.
 * The dependents the apply stage runs are declared by {@link StackWorkflow}.
 */
@io.pistack.operator.access.ApiAccess.PassesClient("hands context.getClient() to ShardScope.load")
@ControllerConfiguration(name = PiStackReconciler.NAME, fieldManager = PiStackReconciler.NAME,
    informer = @Informer(itemStore = SlimCache.Stacks.class))
public class PiStackReconciler extends StackWorkflow implements Reconciler<PiStack> {
  public static final String NAME = FieldManager.NAME;
  private final StatusWriter status;
  private final HealthMonitor health;
  private final SpecGate gate;
  private final StackObserver observer;
  private final Failures failures;
  private ShardScope shard = ShardScope.NONE;
  private final WindowGate windows;
  private final DeletedStacks deleted;

  /** @param operator where it runs (NetworkPolicies admit its checks from there); @param policy what it refuses */
  public PiStackReconciler(StackEvents events, Clock clock, HealthMonitor health, OperatorMetrics metrics,
      OperatorIdentity operator, OperatorPolicy policy) {
    this.status = new StatusWriter(events, metrics, clock);
    this.health = health;
    this.gate = new SpecGate(events, policy, operator);
    this.observer = new StackObserver(health);
    this.failures = new Failures(status);
    this.windows = new WindowGate(clock, metrics);
    this.deleted = new DeletedStacks(id -> { failures.forget(id); windows.forget(id); shard.forget(id); metrics.forgetStack(id); });
  }

  /** The operator's default maintenance windows (PI_OPERATOR_MAINTENANCE_WINDOWS); a stack's own win. */
  public PiStackReconciler maintenanceWindows(io.pistack.operator.model.MaintenanceWindows defaults) {
    windows.defaults(defaults);
    return this;
  }

  /** The stack's pods, the Secrets of the watched namespaces (SecretWatch), its PiBackups, the probes, deletions. */
  @Override
  public List<EventSource<?, PiStack>> prepareEventSources(EventSourceContext<PiStack> context) {
    shard = ShardScope.bind(context);
    return List.of(PodEventSource.create(context), SecretWatch.create(context), StackBackups.create(context), health, shard.trigger(), deleted);
  }

  @Override
  public UpdateControl<PiStack> reconcile(PiStack stack, Context<PiStack> context) {
    return deleted.ifGone(stack, context, reconcileStack(stack, context)); // deleted while it ran: forgotten again
  }

  private UpdateControl<PiStack> reconcileStack(PiStack stack, Context<PiStack> context) {
    if (!shard.load(stack, context.getClient())) { // not this shard's (any more); one that joined: its children first
      return UpdateControl.noUpdate();
    }
    // 1. Spec: resolved once, then the gate; a stack it stops changes only its status. Its Secrets are read once.
    SpecGate.Verdict spec = gate.check(stack, context);
    ResolvedStack resolved = spec.resolved();
    if (spec.stopped().isPresent()) {
      return status.stopped(resolved, context, spec.stopped().get(), spec.recheck());
    }
    // 2. Desired: the lifecycle gates and every desired child, the one value the dependents read (kept by Apply).
    Pass pass = Passes.decide(resolved, context, windows, spec.restore());
    // 3. Apply, unless paused; a failure is retried with a growing back-off and reported once it repeats (ErrorBackoff).
    // Then a PiBackup per backup Job of its own (BackupRecorder). One value: the failure to report, the retry.
    Failures.AfterApply after = Apply.children(pass, context, failures);
    // 4. Observe: one snapshot of what the caches hold after the apply.
    Snapshot seen = observer.observe(resolved, pass.plan(), context);
    // 5. Status: decide it and when to look again, announce its transitions, write it if it changed.
    UpdateControl<PiStack> control = status.finish(context, pass, spec.secrets(), spec.advice(), after.reported(),
        after.retry(), seen);
    failures.settled(stack, after);
    return control;
  }

  /** An error that escaped {@link #reconcile}: reported, retried after the back-off (Failures). */
  @Override
  public ErrorStatusUpdateControl<PiStack> updateErrorStatus(PiStack stack, Context<PiStack> context, Exception e) {
    return ErrorStatusUpdateControl.<PiStack>noStatusUpdate().withNoRetry().rescheduleAfter(
        deleted.ifGone(stack, context, failures.escaped(stack, context, e)));
  }

  /** Stacks the back-off holds a failure count for: those failing now (for tests). */
  public int failingStacks() {
    return failures.tracked();
  }
}
