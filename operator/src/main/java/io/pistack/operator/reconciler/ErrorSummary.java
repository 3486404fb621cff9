package io.pistack.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.dependent.workflow.WorkflowReconcileResult;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A short, secret-free description of a failure, for status, events and logs. */
public final class ErrorSummary {
  private static final Logger LOG = LoggerFactory.getLogger(PiStackReconciler.class);
  private ErrorSummary() {}

  /**
   * The fields a refusal names (status.details.causes[].field), e.g. " for
   * spec.template.spec.containers[0].env[2].name". Only the paths: the causes' messages and the
   * status message can quote the refused value, which may be a secret.
   */
  static String fields(KubernetesClientException k) {
    if (k.getStatus() == null || k.getStatus().getDetails() == null || k.getStatus().getDetails().getCauses() == null) {
      return "";
    }
    java.util.List<String> fields = k.getStatus().getDetails().getCauses().stream()
        .map(io.fabric8.kubernetes.api.model.StatusCause::getField)
        .filter(f -> f != null && !f.isBlank()).distinct().limit(5).toList();
    var d = k.getStatus().getDetails();
    String object = d.getKind() == null || d.getName() == null ? "" : " " + d.getKind() + " " + d.getName();
    return fields.isEmpty() ? object : object + " field " + String.join(", ", fields);
  }

  /** A 409 Conflict anywhere in the cause chain: the object changed since it was read. */
  static boolean isConflict(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 409) {
        return true;
      }
    }
    return false;
  }

  public static String of(Throwable error) {
    Throwable t = error;
    while (t != null) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        String reason = k.getStatus() == null ? null : k.getStatus().getReason();
        return "the API server answered " + k.getCode() + (reason == null ? "" : " " + reason) + fields(k);
      }
      t = t.getCause();
    }
    return error.getClass().getSimpleName();
  }

  /**
   * One line per failed dependent of a workflow run, each logged (under the reconciler's name).
   * Kubernetes API errors are reduced to their status code and reason (#of).
   */
  static Optional<String> of(WorkflowReconcileResult result) {
    if (!result.erroredDependentsExist()) {
      return Optional.empty();
    }
    StringBuilder sb = new StringBuilder();
    result.getErroredDependents().forEach((dependent, error) -> {
      String what = dependent.name() == null ? dependent.getClass().getSimpleName() : dependent.name();
      LOG.warn("applying {} failed: {}", what, of(error));
      if (sb.length() > 0) {
        sb.append("; ");
      }
      sb.append(what).append(": ").append(of(error));
    });
    return Optional.of(sb.toString());
  }
}
