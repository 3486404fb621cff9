package io.pistack.operator.plugin;

import io.fabric8.kubernetes.api.model.Condition;
import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import java.util.Map;

/** The one screen {@code kubectl pi status} prints: a pure function of the PiStack. */
public final class StatusText {
  private StatusText() {}

  public static String of(PiStack stack) {
    StringBuilder b = new StringBuilder();
    PiStackStatus s = stack.getStatus();
    b.append("Stack:      ").append(stack.getMetadata().getNamespace()).append('/')
        .append(stack.getMetadata().getName()).append('\n');
    if (s == null) {
      return b.append("Status:     none yet (is the operator running?)\n").toString();
    }
    Long generation = stack.getMetadata().getGeneration();
    b.append("Observed:   generation ").append(or(s.observedGeneration, "-")).append(" of ")
        .append(or(generation, "-"));
    if (generation != null && s.observedGeneration != null && s.observedGeneration < generation) {
      b.append(" (the operator has not acted on the newest spec yet)");
    }
    b.append('\n');
    b.append("URL:        ").append(or(s.url, "(none: no ingress or route)")).append('\n');
    b.append("Database:   ").append(database(stack)).append('\n');

    b.append("\nConditions:\n");
    if (s.conditions == null || s.conditions.isEmpty()) {
      b.append("  (none)\n");
    } else {
      b.append(String.format("  %-22s %-7s %-28s %s%n", "TYPE", "STATUS", "REASON", "MESSAGE"));
      for (Condition c : s.conditions) {
        b.append(String.format("  %-22s %-7s %-28s %s%n", c.getType(), c.getStatus(), or(c.getReason(), ""),
            or(c.getMessage(), "")));
      }
    }

    b.append("\nComponents:\n");
    if (s.components == null || s.components.isEmpty()) {
      b.append("  (none)\n");
    } else {
      b.append(String.format("  %-14s %-7s %s%n", "NAME", "READY", "VERSION (IMAGE)"));
      for (Map.Entry<String, ComponentStatus> e : s.components.entrySet()) {
        ComponentStatus c = e.getValue();
        b.append(String.format("  %-14s %-7s %s%n", e.getKey(), or(c.readyReplicas, 0) + "/" + or(c.desiredReplicas, 0),
            or(c.image, "-")));
      }
    }

    b.append("\nBackup:\n").append(backup(s.backup));
    b.append("\nRestore:    ").append(restore(s.restore)).append('\n');
    if (s.warnings != null && !s.warnings.isEmpty()) {
      b.append("\nWarnings:\n");
      s.warnings.forEach(w -> b.append("  - ").append(w).append('\n'));
    }
    return b.toString();
  }

  static String database(PiStack stack) {
    var db = stack.getSpec() == null ? null : stack.getSpec().database;
    String kind = db != null && db.external != null ? "external" : "embedded";
    Condition ready = stack.getStatus().conditions == null ? null : stack.getStatus().conditions.stream()
        .filter(c -> "DatabaseReady".equals(c.getType())).findFirst().orElse(null);
    return ready == null ? kind : kind + ", ready " + ready.getStatus() + " (" + or(ready.getReason(), "")
        + (ready.getMessage() == null ? "" : ": " + ready.getMessage()) + ")";
  }

  static String backup(BackupStatus b) {
    if (b == null) {
      return "  (no backup yet)\n";
    }
    StringBuilder s = new StringBuilder();
    line(s, "Last success", b.lastSuccessfulTime == null ? null
        : b.lastSuccessfulTime + (b.lastBackupName == null ? "" : " (" + b.lastBackupName + ")"));
    line(s, "Size", b.sizeBytes == null ? null : b.sizeBytes + " bytes");
    line(s, "Location", b.location);
    line(s, "Last failure", b.lastFailureTime == null ? null
        : b.lastFailureTime + (b.lastFailureMessage == null ? "" : ": " + b.lastFailureMessage));
    line(s, "Verified", b.lastVerified == null || b.lastVerified.result == null ? null
        : b.lastVerified.result + " " + or(b.lastVerified.backupName, "") + " at " + or(b.lastVerified.time, "-")
        + (b.lastVerified.message == null ? "" : ": " + b.lastVerified.message));
    return s.length() == 0 ? "  (no backup yet)\n" : s.toString();
  }

  static String restore(RestoreStatus r) {
    if (r == null || r.phase == null) {
      return "(none)";
    }
    return r.phase + (r.backup == null ? "" : " from " + r.backup) + (r.jobName == null ? "" : ", job " + r.jobName)
        + (r.message == null ? "" : ": " + r.message);
  }

  private static void line(StringBuilder s, String label, String value) {
    if (value != null) {
      s.append(String.format("  %-13s %s%n", label + ":", value));
    }
  }

  private static Object or(Object v, Object dflt) {
    return v == null ? dflt : v;
  }
}
