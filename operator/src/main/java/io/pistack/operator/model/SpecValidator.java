package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.ExternalDatabaseSpec;
import io.pistack.operator.api.v1alpha1.ImageSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.QdrantSpec;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import io.pistack.operator.api.v1alpha1.StackName;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import io.pistack.operator.api.v1alpha1.TrustSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every rule a PiStack must pass before the operator applies anything, with the field path.
 *
 * <p>{@link Stage#ADMISSION} problems are the CRD's own rules (schema and CEL), checked again in
 * Java: `render` has no API server, and an operator may run against a cluster whose CRD predates
 * a rule. They use the CRD's messages; CatalogueOnRealApiTest fails when the two disagree.
 * {@link Stage#OPERATOR} problems are what CEL cannot express (cron fields, time zones, the keys
 * and values passed through to Kubernetes) or cannot afford (quantities: resources and the heap,
 * the length of every string and list, see docs/api-versioning.md): the API server admits them, the operator refuses them
 * (Ready=False, InvalidSpec) before the first child is applied. Messages never contain Secret
 * values (the spec only ever names Secrets).
 */
public final class SpecValidator {
  static final BigDecimal MIN_SHARED = Quantity.getAmountInBytes(new Quantity("5Gi"));

  private SpecValidator() {}

  /** Where a rule is enforced first: by the API server (the CRD), or only by the operator. */
  public enum Stage { ADMISSION, OPERATOR }

  public record Problem(String path, String message, Stage stage) {
    public Problem(String path, String message) {
      this(path, message, Stage.ADMISSION);
    }

    @Override
    public String toString() {
      return path + ": " + message;
    }
  }

  public static List<Problem> validate(PiStack stack) {
    List<Problem> p = new ArrayList<>();
    String nameProblem = StackName.problem(stack.getMetadata() == null ? null : stack.getMetadata().getName());
    if (nameProblem != null) {
      p.add(new Problem("metadata.name", nameProblem));
    }
    PiStackSpec s = stack.getSpec();
    if (s == null) {
      p.add(new Problem("spec", "required"));
      return p;
    }
    if (s instanceof io.pistack.operator.api.v1alpha1.UnreadableSpec u) {
      // Read leniently (UnreadableSpec.Reader): nothing else of this spec is known.
      p.add(new Problem(u.path(), u.message(), Stage.OPERATOR));
      return p;
    }
    if (s.version == null || s.version.isBlank()) {
      p.add(new Problem("spec.version", "required: the Pi image tag, e.g. 2025_10.1"));
    } else if (!s.version.matches(PiStackSpec.VERSION_FORM)) {
      p.add(new Problem("spec.version", PiStackSpec.VERSION_MESSAGE));
    }
    database(p, s);
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
    if (s.qdrant != null && s.qdrant.replicas != null && s.qdrant.replicas > 1) {
      p.add(new Problem("spec.qdrant", QdrantSpec.ONE_REPLICA_MESSAGE));
    }
    if (s.dashboard != null && s.dashboard.https != null && Boolean.TRUE.equals(s.dashboard.https.enabled)
        && (s.dashboard.https.secretName == null || s.dashboard.https.secretName.isBlank())) {
      p.add(new Problem("spec.dashboard.https.secretName", io.pistack.operator.api.v1alpha1.HttpsSpec.SECRET_MESSAGE,
          Stage.OPERATOR));
    }
    if (s.trust != null && (s.trust.configMapName != null) == (s.trust.secretName != null)) {
      p.add(new Problem("spec.trust", TrustSpec.ONE_SOURCE_MESSAGE));
    }
    components(s).forEach((field, c) -> component(p, "spec." + field, c));
    ResourcesCheck.dashboardHeap(p, s.dashboard);
    if (s.image != null && s.image.registry != null) {
      if (s.image.registry.contains("://")) {
        p.add(new Problem("spec.image.registry", ImageSpec.SCHEME_MESSAGE));
      } else if (!s.image.registry.matches(ImageSpec.REGISTRY_FORM)) {
        p.add(new Problem("spec.image.registry", ImageSpec.REGISTRY_MESSAGE));
      }
    }
    ExposureValidator.validate(p, s);
    p.addAll(BackupSpecValidator.validate(s));
    p.addAll(PassThroughValidator.validate(s));
    p.addAll(SpecBounds.validate(s));
    List<String> windows = new ArrayList<>();
    MaintenanceWindows.of(s.maintenanceWindows, windows);
    windows.forEach(w -> p.add(new Problem(w.substring(0, w.indexOf(": ")), w.substring(w.indexOf(": ") + 2),
        Stage.OPERATOR)));
    return p;
  }

  /** The component sections by field name, null ones left out: one per entry of the component table. */
  static Map<String, ComponentSpec> components(PiStackSpec s) {
    Map<String, ComponentSpec> m = new LinkedHashMap<>();
    for (Component c : Component.values()) {
      ComponentSpec spec = c.spec(s);
      if (spec != null) {
        m.put(c.specField(), spec);
      }
    }
    return m;
  }

  private static void database(List<Problem> p, PiStackSpec s) {
    if (s.database == null) {
      return;
    }
    if (s.database.external != null && s.database.embedded != null) {
      p.add(new Problem("spec.database", "set either external or embedded, not both"));
    }
    if (s.database.external != null) {
      var e = s.database.external;
      if (e.host == null || e.host.isBlank()) {
        p.add(new Problem("spec.database.external.host", "required"));
      } else if (e.host.contains(":") || e.host.contains("/")) {
        p.add(new Problem("spec.database.external.host",
            "must be a host name only (no ':port' or scheme); put the port in database.external.port"));
      } else {
        if (io.pistack.operator.api.v1alpha1.LoopbackHost.refused(e.host)) {
          p.add(new Problem("spec.database.external.host", ExternalDatabaseSpec.LOCALHOST_MESSAGE));
        }
      }
      if (e.credentialsSecret == null || e.credentialsSecret.name == null) {
        p.add(new Problem("spec.database.external.credentialsSecret", "required for an external database"));
      }
    }
    if (s.database.embedded != null) {
      ResourcesCheck.check(p, "spec.database.embedded.resources", s.database.embedded.resources);
      positiveSize(p, "spec.database.embedded.storageSize", s.database.embedded.storageSize);
    }
  }

  private static void component(List<Problem> p, String path, ComponentSpec c) {
    ResourcesCheck.check(p, path + ".resources", c.resources);
    if (c.podLabels != null && c.podLabels.keySet().stream()
        .anyMatch(k -> k != null && k.startsWith(ComponentSpec.RESERVED_LABEL_PREFIX))) {
      p.add(new Problem(path + ".podLabels", ComponentSpec.RESERVED_LABEL_MESSAGE));
    }
    if (c.env != null) {
      for (int i = 0; i < c.env.size(); i++) {
        EnvVar e = c.env.get(i);
        if (e == null || e.getName() == null || e.getName().isEmpty()) {
          p.add(new Problem(path + ".env[" + i + "].name", ComponentSpec.ENV_NAME_MESSAGE));
        }
      }
    }
    if (c instanceof ScalableComponentSpec sc && sc.autoscaling != null) {
      AutoscalingSpec a = sc.autoscaling;
      int min = a.minReplicas == null ? AutoscalingSpec.DEFAULT_MIN : a.minReplicas;
      int max = a.maxReplicas == null ? AutoscalingSpec.DEFAULT_MAX : a.maxReplicas;
      if (min > max) {
        p.add(new Problem(path + ".autoscaling",
            "minReplicas (" + min + ") must not exceed maxReplicas (" + max + ")"));
      }
      if (Boolean.TRUE.equals(a.enabled) && c.resources != null
          && (c.resources.getRequests() == null || !c.resources.getRequests().containsKey("cpu"))) {
        p.add(new Problem(path + ".resources", ScalableComponentSpec.AUTOSCALING_CPU_MESSAGE));
      }
    }
  }

  static void positiveSize(List<Problem> p, String path, String size) {
    if (size != null && QuantityCheck.amount(size).filter(a -> a.signum() <= 0).isPresent()) {
      p.add(new Problem(path, StorageSpec.POSITIVE_MESSAGE));
    }
  }

  private static void checkMinSize(List<Problem> p, String path, String size) {
    Optional<BigDecimal> amount = QuantityCheck.amount(size);
    if (amount.isEmpty()) {
      p.add(new Problem(path, "not a quantity: " + size));
    } else if (amount.get().compareTo(MIN_SHARED) < 0) {
      p.add(new Problem(path, "must be at least 5Gi, got " + size));
    }
  }
}
