package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.SecretRef;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import io.pistack.operator.model.SpecValidator.Problem;
import io.pistack.operator.model.SpecValidator.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the CRD admits but a child would be refused for: keys and values the spec passes through
 * to Kubernetes (annotations, node selectors, tolerations, env, resource names, storage class and
 * Secret key names, the schemaless security contexts: {@link SchemalessCheck}), and volumes that can
 * never be shared. Checked before anything is applied, so
 * a stack is never left half-applied; every problem is {@link Stage#OPERATOR} but the toleration
 * operator and effect, which the CRD checks too.
 */
final class PassThroughValidator {
  private static final Set<String> OPERATORS = Set.of("Exists", "Equal");
  private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final Set<String> RESOURCE_NAMES = Set.of("cpu", "memory", "ephemeral-storage");

  private PassThroughValidator() {}

  static List<Problem> validate(PiStackSpec s) {
    List<Problem> p = new ArrayList<>();
    SpecValidator.components(s).forEach((field, c) -> component(p, "spec." + field, c));
    if (s.database != null && s.database.embedded != null) {
      resourceNames(p, "spec.database.embedded.resources", s.database.embedded.resources);
      storageClass(p, "spec.database.embedded.storageClassName", s.database.embedded.storageClassName);
      secretKeys(p, "spec.database.embedded.credentialsSecret", s.database.embedded.credentialsSecret);
      SchemalessCheck.check(p, "spec.database.embedded.podSecurityContext", s.database.embedded.podSecurityContext);
      SchemalessCheck.check(p, "spec.database.embedded.securityContext", s.database.embedded.securityContext);
      SchemalessCheck.check(p, "spec.database.embedded.affinity", s.database.embedded.affinity);
    }
    if (s.database != null && s.database.external != null) {
      secretKeys(p, "spec.database.external.credentialsSecret", s.database.external.credentialsSecret);
    }
    if (s.backup != null) {
      resourceNames(p, "spec.backup.resources", s.backup.resources);
      if (s.backup.storage != null) {
        storageClass(p, "spec.backup.storage.storageClassName", s.backup.storage.storageClassName);
      }
    }
    if (s.storage != null) {
      storageClass(p, "spec.storage.storageClassName", s.storage.storageClassName);
    }
    if (s.licence != null && s.licence.key != null && !KubernetesForms.secretKey(s.licence.key)) {
      p.add(problem("spec.licence.key", secretKeyMessage()));
    }
    if (s.ingress != null) {
      keys(p, "spec.ingress.annotations", s.ingress.annotations);
      if (s.ingress.className != null && !KubernetesForms.subdomain(s.ingress.className)) {
        p.add(problem("spec.ingress.className", "an IngressClass name is a lower-case DNS name such as nginx"));
      }
    }
    sharedVolume(p, s);
    return p;
  }

  private static void component(List<Problem> p, String path, ComponentSpec c) {
    SchemalessCheck.check(p, path + ".podSecurityContext", c.podSecurityContext);
    SchemalessCheck.check(p, path + ".securityContext", c.securityContext);
    SchemalessCheck.check(p, path + ".affinity", c.affinity);
    keys(p, path + ".podAnnotations", c.podAnnotations);
    if (c.nodeSelector != null) {
      keys(p, path + ".nodeSelector", c.nodeSelector);
      c.nodeSelector.forEach((k, v) -> {
        if (!KubernetesForms.labelValue(v)) {
          p.add(problem(path + ".nodeSelector", "the value of '" + k + "' is not a label value: at most 63"
              + " letters, digits, '-', '_' or '.', starting and ending with a letter or digit"));
        }
      });
    }
    if (c.tolerations != null) {
      for (int i = 0; i < c.tolerations.size(); i++) {
        toleration(p, path + ".tolerations[" + i + "]", c.tolerations.get(i));
      }
    }
    if (c.env != null) {
      for (int i = 0; i < c.env.size(); i++) {
        EnvVar e = c.env.get(i);
        if (e == null || e.getName() == null || e.getName().isEmpty()) {
          continue; // the CRD's rule (SpecValidator)
        }
        if (!KubernetesForms.envName(e.getName())) {
          p.add(problem(path + ".env[" + i + "].name", "'" + e.getName() + "' is not an environment variable"
              + " name: letters, digits, '_', '-' and '.', not starting with a digit"));
        }
        if (e.getValueFrom() != null && e.getValue() != null && !e.getValue().isEmpty()) {
          p.add(problem(path + ".env[" + i + "]", "set value or valueFrom, not both"));
        }
      }
    }
    resourceNames(p, path + ".resources", c.resources);
  }

  private static void toleration(List<Problem> p, String path, Toleration t) {
    if (t == null) {
      return;
    }
    String op = t.getOperator();
    if (op != null && !op.isEmpty() && !OPERATORS.contains(op)) {
      p.add(new Problem(path + ".operator", ComponentSpec.TOLERATION_OPERATOR_MESSAGE + ", not '" + op + "'"));
    }
    if ("Exists".equals(op) && t.getValue() != null && !t.getValue().isEmpty()) {
      p.add(problem(path + ".value", "a toleration with operator Exists takes no value"));
    }
    if ((t.getKey() == null || t.getKey().isEmpty()) && !"Exists".equals(op)) {
      p.add(problem(path + ".operator", "a toleration without a key must use operator Exists"));
    }
    if (t.getKey() != null && !t.getKey().isEmpty()) {
      KubernetesForms.qualifiedName(t.getKey()).ifPresent(m -> p.add(problem(path + ".key", m)));
    }
    String effect = t.getEffect();
    if (effect != null && !effect.isEmpty() && !EFFECTS.contains(effect)) {
      p.add(new Problem(path + ".effect", ComponentSpec.TOLERATION_EFFECT_MESSAGE + ", not '" + effect + "'"));
    }
    if (t.getTolerationSeconds() != null && !"NoExecute".equals(effect)) {
      p.add(problem(path + ".tolerationSeconds", "tolerationSeconds needs effect NoExecute"));
    }
    if (t.getValue() != null && !t.getValue().isEmpty() && !KubernetesForms.labelValue(t.getValue())) {
      p.add(problem(path + ".value", "a toleration value is a label value: at most 63 letters, digits, '-',"
          + " '_' or '.', starting and ending with a letter or digit"));
    }
  }

  private static void keys(List<Problem> p, String path, Map<String, String> m) {
    if (m != null) {
      m.keySet().forEach(k -> KubernetesForms.qualifiedName(k).ifPresent(msg -> p.add(problem(path, msg))));
    }
  }

  private static void resourceNames(List<Problem> p, String path, ResourceRequirements r) {
    if (r == null) {
      return;
    }
    for (var section : List.of(Map.entry("limits", r.getLimits()), Map.entry("requests", r.getRequests()))) {
      if (section.getValue() == null) {
        continue;
      }
      for (Map.Entry<String, Quantity> e : section.getValue().entrySet()) {
        String k = e.getKey();
        if (!RESOURCE_NAMES.contains(k) && !k.startsWith("hugepages-") && !k.contains("/")) {
          p.add(problem(path + "." + section.getKey(), "'" + k + "' is not a resource name: use cpu, memory,"
              + " ephemeral-storage, or a vendor resource such as nvidia.com/gpu"));
        }
        QuantityCheck.amount(e.getValue()).filter(a -> a.signum() < 0).ifPresent(a ->
            p.add(problem(path + "." + section.getKey() + "." + k, "must not be negative")));
      }
    }
  }

  private static void storageClass(List<Problem> p, String path, String name) {
    if (name != null && !name.isEmpty() && !KubernetesForms.subdomain(name)) {
      p.add(problem(path, "a StorageClass name is a lower-case DNS name such as standard or gp3"));
    }
  }

  private static void secretKeys(List<Problem> p, String path, SecretRef ref) {
    if (ref == null) {
      return;
    }
    if (ref.usernameKey != null && !KubernetesForms.secretKey(ref.usernameKey)) {
      p.add(problem(path + ".usernameKey", secretKeyMessage()));
    }
    if (ref.passwordKey != null && !KubernetesForms.secretKey(ref.passwordKey)) {
      p.add(problem(path + ".passwordKey", secretKeyMessage()));
    }
  }

  /** A ReadWriteOncePod volume can be mounted by one pod: the dashboard and the scheduler both mount it. */
  private static void sharedVolume(List<Problem> p, PiStackSpec s) {
    if (s.storage == null || s.storage.accessModes == null || s.storage.accessModes.isEmpty()
        || !s.storage.accessModes.stream().allMatch(m -> m == StorageSpec.AccessMode.ReadWriteOncePod)) {
      return;
    }
    boolean dashboard = s.dashboard == null || !Boolean.FALSE.equals(s.dashboard.enabled);
    boolean scheduler = s.scheduler == null || !Boolean.FALSE.equals(s.scheduler.enabled);
    if (dashboard && scheduler) {
      p.add(problem("spec.storage.accessModes", "ReadWriteOncePod lets one pod mount the shared volume, but the"
          + " dashboard and the scheduler both mount it: use ReadWriteMany (the default)"));
    }
  }

  private static String secretKeyMessage() {
    return "a Secret key is letters, digits, '-', '_' and '.' only";
  }

  private static Problem problem(String path, String message) {
    return new Problem(path, message, Stage.OPERATOR);
  }
}
