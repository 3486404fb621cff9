package io.pistack.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** A short, secret-free description of a failure, for status, events and logs. */
public final class ErrorSummary {
  private ErrorSummary() {}

  public static String of(Throwable error) {
    Throwable t = error;
    while (t != null) {
      if (t instanceof KubernetesClientException k && k.getCode() > 0) {
        String reason = k.getStatus() == null ? null : k.getStatus().getReason();
        return "the API server answered " + k.getCode() + (reason == null ? "" : " " + reason);
      }
      t = t.getCause();
    }
    return error.getClass().getSimpleName();
  }
}
