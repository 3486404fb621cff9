package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Legal settings that are almost certainly wrong. The stack is applied; each warning becomes a
 * Warning event (once per spec generation) and a line of status.warnings. docs/status.md lists them.
 */
public final class SpecWarnings {
  public static final String UNPINNED_VERSION = "UnpinnedVersion";
  public static final String LITERAL_SECRET = "LiteralSecretInEnv";
  public static final String REPLICAS_IGNORED = "ReplicasIgnored";
  public static final String SHARED_VOLUME_NOT_SHARED = "SharedVolumeReadWriteOnce";
  public static final String INGRESS_BACKEND_PROTOCOL = "IngressBackendProtocol";
  public static final String S3_PREFIX_WITHOUT_NAMESPACE = "S3PrefixWithoutNamespace";
  public static final String ROUTE_WITHOUT_STICKY_SESSIONS = "RouteWithoutStickySessions";
  public static final String ROUTE_TO_HTTPS_DASHBOARD = "RouteToHttpsDashboard";
  private static final Pattern SECRET_NAMES = Pattern.compile("(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|LICEN[CS]E).*");

  private SpecWarnings() {}

  /** One piece of advice; the message never contains a value from the spec's env. */
  public record Warning(String path, String reason, String message) {
    @Override
    public String toString() {
      return path + ": " + message;
    }
  }

  /** The advice for a stack, from the view the reconcile resolved once. */
  public static List<Warning> of(ResolvedStack resolved) {
    List<Warning> w = new ArrayList<>();
    PiStack stack = resolved.source();
    PiStackSpec s = stack.getSpec();
    if (s == null) {
      return w;
    }
    if ("latest".equals(s.version)) {
      w.add(new Warning("spec.version", UNPINNED_VERSION,
          "'latest' is not pinned; upgrades will happen whenever a pod restarts"));
    }
    SpecValidator.components(s).forEach((field, c) -> component(w, "spec." + field, c));
    sharedVolume(w, resolved);
    ingressBackendProtocol(w, s);
    s3PrefixWithoutNamespace(w, stack);
    RouteWarnings.add(w, resolved);
    return w;
  }

  /**
   * The dashboard serves HTTPS behind an Ingress that names no backend protocol: most controllers
   * then speak HTTP to the TLS port (502). The Ingress API has no standard field, so this only
   * looks for a controller's "backend-protocol" annotation (docs/https.md).
   */
  private static void ingressBackendProtocol(List<Warning> w, PiStackSpec s) {
    boolean https = s.dashboard != null && s.dashboard.https != null && Boolean.TRUE.equals(s.dashboard.https.enabled);
    boolean ingress = s.ingress != null && Boolean.TRUE.equals(s.ingress.enabled);
    if (https && ingress && (s.ingress.annotations == null
        || s.ingress.annotations.keySet().stream().noneMatch(k -> k.endsWith("/backend-protocol")))) {
      w.add(new Warning("spec.ingress.annotations", INGRESS_BACKEND_PROTOCOL, "the dashboard serves HTTPS"
          + " (spec.dashboard.https) but the Ingress names no backend protocol: add your controller's annotation,"
          + " e.g. nginx.ingress.kubernetes.io/backend-protocol: HTTPS (docs/https.md)"));
    }
  }

  private static void component(List<Warning> w, String path, ComponentSpec c) {
    if (c.env != null) {
      for (int i = 0; i < c.env.size(); i++) {
        EnvVar e = c.env.get(i);
        if (e != null && e.getName() != null && SECRET_NAMES.matcher(e.getName()).matches()
            && e.getValue() != null && !e.getValue().isEmpty()) {
          w.add(new Warning(path + ".env[" + i + "].value", LITERAL_SECRET, e.getName() + " is written in the"
              + " PiStack in clear text, where anyone who can read the PiStack sees it: use valueFrom.secretKeyRef"));
        }
      }
    }
    if (c instanceof ScalableComponentSpec sc && sc.autoscaling != null && Boolean.TRUE.equals(sc.autoscaling.enabled)
        && c.replicas != null) {
      w.add(new Warning(path + ".replicas", REPLICAS_IGNORED, "replicas is ignored while autoscaling is enabled:"
          + " the autoscaler sets the count between minReplicas and maxReplicas"));
    }
  }

  /**
   * The stack keeps the prefix {@code <stack>/} of its existing backups ({@link S3Prefix}): a stack of the same name
   * in another namespace that uses the bucket reads and writes the same backups.
   */
  private static void s3PrefixWithoutNamespace(List<Warning> w, PiStack stack) {
    PiStackSpec s = stack.getSpec();
    var s3 = s.backup == null || s.backup.storage == null ? null : s.backup.storage.s3;
    if (s3 == null || !S3Prefix.keepsUnscopedDefault(s3, stack)) {
      return;
    }
    String name = stack.getMetadata().getName();
    w.add(new Warning("spec.backup.storage.s3.prefix", S3_PREFIX_WITHOUT_NAMESPACE, "backups stay under " + name
        + "/, where this stack's existing backups are; that prefix has no namespace, so a stack named " + name
        + " in another namespace using bucket " + s3.bucket + " sees the same backups: set prefix to "
        + S3Prefix.namespaced(stack) + " to write new backups there, or to " + name + "/ to keep this one"
        + " (docs/backup-restore.md)"));
  }

  /** A ReadWriteOnce shared volume: every pod mounting it must run on the same node. */
  private static void sharedVolume(List<Warning> w, ResolvedStack r) {
    PiStackSpec s = r.source().getSpec();
    if (s.storage == null || s.storage.accessModes == null || s.storage.accessModes.isEmpty()
        || s.storage.accessModes.contains(StorageSpec.AccessMode.ReadWriteMany)
        || !s.storage.accessModes.contains(StorageSpec.AccessMode.ReadWriteOnce)) {
      return;
    }
    int pods = r.enabled(Component.DASHBOARD) ? r.sizing(Component.DASHBOARD).maxReplicas() : 0;
    pods += r.enabled(Component.SCHEDULER) ? 1 : 0;
    if (pods > 1) {
      w.add(new Warning("spec.storage.accessModes", SHARED_VOLUME_NOT_SHARED, "ReadWriteOnce: the " + pods
          + " dashboard and scheduler pods that mount the shared volume must all run on one node; use"
          + " ReadWriteMany (the default) unless the cluster has a single node"));
    }
  }
}
