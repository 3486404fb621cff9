package io.pistack.operator.metrics;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.Controller;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.Map;

/**
 * JOSDK's reconcile metrics (micrometer-support, <b>without</b> per-resource series, so label
 * cardinality does not grow with the number of PiStacks), plus hooks: when JOSDK is done with a
 * deleted PiStack, the operator's per-stack series are dropped too; each reconcile's start and
 * success are passed on ({@link OperatorMetrics#reconcileCompleted}, for tests).
 */
public final class JosdkMetrics implements Metrics {
  /** JOSDK's metadata key of the controller's name. */
  static final String CONTROLLER_NAME = "controller.name";
  /** The controllers whose resources are not PiStacks (the name PiBackupReconciler registers under). */
  static final java.util.Set<String> OTHER_CONTROLLERS = java.util.Set.of("pibackup");
  private final Metrics delegate;
  private final OperatorMetrics operatorMetrics;

  public JosdkMetrics(OperatorMetrics operatorMetrics) {
    this.delegate = MicrometerMetrics.withoutPerResourceMetrics(operatorMetrics.registry());
    this.operatorMetrics = operatorMetrics;
  }

  @Override
  public void controllerRegistered(Controller<? extends HasMetadata> controller) {
    delegate.controllerRegistered(controller);
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    delegate.receivedEvent(event, metadata);
  }

  @Override
  public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    delegate.reconcileCustomResource(resource, retryInfo, metadata);
  }

  @Override
  public void failedReconciliation(HasMetadata resource, Exception exception, Map<String, Object> metadata) {
    delegate.failedReconciliation(resource, exception, metadata);
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationExecutionStarted(resource, metadata);
    if (other(metadata)) {
      return;
    }
    operatorMetrics.reconcileStarted(resource.getMetadata().getNamespace(), resource.getMetadata().getName());
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    delegate.reconciliationExecutionFinished(resource, metadata);
  }

  @Override
  public void cleanupDoneFor(ResourceID resourceID, Map<String, Object> metadata) {
    delegate.cleanupDoneFor(resourceID, metadata);
    if (other(metadata)) {
      return; // a PiBackup of the same name as a PiStack must not drop the stack's series
    }
    operatorMetrics.forgetStack(resourceID.getNamespace().orElse(""), resourceID.getName());
  }

  @Override
  public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
    delegate.finishedReconciliation(resource, metadata);
    if (other(metadata)) {
      return;
    }
    operatorMetrics.reconcileCompleted(resource.getMetadata().getNamespace(), resource.getMetadata().getName(),
        resource.getMetadata().getGeneration());
  }

  /** An event of another controller than the PiStack's (the PiBackup controller): the per-stack hooks skip it. */
  static boolean other(Map<String, Object> metadata) {
    return metadata != null && OTHER_CONTROLLERS.contains(String.valueOf(metadata.get(CONTROLLER_NAME)));
  }

  @Override
  public <T> T timeControllerExecution(ControllerExecution<T> execution) throws Exception {
    return delegate.timeControllerExecution(execution);
  }

  @Override
  public <T extends Map<?, ?>> T monitorSizeOf(T map, String name) {
    return delegate.monitorSizeOf(map, name);
  }
}
