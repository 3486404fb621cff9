package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The cross-field rules of the CRD's CEL validations, checked again in Java: `render` has no API
 * server, and an operator may run against a cluster whose CRD predates a rule. Problems carry the
 * field path. Messages never contain Secret values (the spec only ever names Secrets).
 */
public final class SpecValidator {
  static final BigDecimal MIN_SHARED = Quantity.getAmountInBytes(new Quantity("5Gi"));

  private SpecValidator() {}

  public record Problem(String path, String message) {
    @Override
    public String toString() {
      return path + ": " + message;
    }
  }

  public static List<Problem> validate(PiStack stack) {
    List<Problem> p = new ArrayList<>();
    PiStackSpec s = stack.getSpec();
    if (s == null) {
      p.add(new Problem("spec", "required"));
      return p;
    }
    if (s.version == null || s.version.isBlank()) {
      p.add(new Problem("spec.version", "required: the Pi image tag, e.g. 2025_10.1"));
    }
    if (s.database != null && s.database.external != null && s.database.embedded != null) {
      p.add(new Problem("spec.database", "set either external or embedded, not both"));
    }
    if (s.database != null && s.database.external != null) {
      var e = s.database.external;
      if (e.host == null || e.host.isBlank()) {
        p.add(new Problem("spec.database.external.host", "required"));
      } else if (e.host.contains(":") || e.host.contains("/")) {
        p.add(new Problem("spec.database.external.host",
            "must be a host name only (no ':port' or scheme); put the port in database.external.port"));
      }
      if (e.credentialsSecret == null || e.credentialsSecret.name == null) {
        p.add(new Problem("spec.database.external.credentialsSecret", "required for an external database"));
      }
    }
    if (s.storage != null && s.storage.size != null) {
      checkMinSize(p, "spec.storage.size", s.storage.size);
    }
    if (s.scheduler != null) {
      if (s.scheduler.replicas != null && s.scheduler.replicas > 1) {
        p.add(new Problem("spec.scheduler.replicas", "the scheduler runs at most one replica"));
      }
      if (s.scheduler.autoscaling != null && Boolean.TRUE.equals(s.scheduler.autoscaling.enabled)) {
        p.add(new Problem("spec.scheduler.autoscaling", "the scheduler cannot autoscale"));
      }
    }
    checkAutoscaling(p, "spec.dashboard", s.dashboard);
    checkAutoscaling(p, "spec.analytics", s.analytics);
    checkAutoscaling(p, "spec.renderer", s.renderer);
    p.addAll(BackupSpecValidator.validate(s));
    if (s.ingress != null) {
      if (s.ingress.tlsSecretName != null && s.ingress.host == null) {
        p.add(new Problem("spec.ingress.tlsSecretName", "TLS needs spec.ingress.host"));
      }
      if (Boolean.TRUE.equals(s.ingress.enabled) && s.ingress.host == null) {
        p.add(new Problem("spec.ingress.host", "required when the ingress is enabled"));
      }
    }
    return p;
  }

  /** Non-fatal advice, e.g. an unpinned version. */
  public static List<String> warnings(PiStack stack) {
    List<String> w = new ArrayList<>();
    if (stack.getSpec() != null && "latest".equals(stack.getSpec().version)) {
      w.add("spec.version: 'latest' is not pinned; upgrades will happen whenever a pod restarts");
    }
    return w;
  }

  private static void checkMinSize(List<Problem> p, String path, String size) {
    try {
      if (Quantity.getAmountInBytes(new Quantity(size)).compareTo(MIN_SHARED) < 0) {
        p.add(new Problem(path, "must be at least 5Gi, got " + size));
      }
    } catch (IllegalArgumentException e) {
      p.add(new Problem(path, "not a quantity: " + size));
    }
  }

  private static void checkAutoscaling(List<Problem> p, String path, ScalableComponentSpec c) {
    if (c == null || c.autoscaling == null) {
      return;
    }
    AutoscalingSpec a = c.autoscaling;
    int min = a.minReplicas == null ? AutoscalingSpec.DEFAULT_MIN : a.minReplicas;
    int max = a.maxReplicas == null ? AutoscalingSpec.DEFAULT_MAX : a.maxReplicas;
    if (min > max) {
      p.add(new Problem(path + ".autoscaling", "minReplicas (" + min + ") must not exceed maxReplicas (" + max + ")"));
    }
  }
}
