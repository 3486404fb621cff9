package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.model.SpecValidator.Problem;
import io.pistack.operator.model.SpecValidator.Stage;
import java.util.ArrayList;
import java.util.List;

/** The rules of spec.backup and spec.restore: the CRD's, mirrored in Java, and what CEL cannot check. */
final class BackupSpecValidator {
  /** IANA names (Java's list, without its legacy SystemV aliases, which Kubernetes does not know). */
  static final java.util.Set<String> TIME_ZONES = java.time.ZoneId.getAvailableZoneIds().stream()
      .filter(z -> !z.startsWith("SystemV/")).collect(java.util.stream.Collectors.toUnmodifiableSet());

  private BackupSpecValidator() {}

  static List<Problem> validate(PiStackSpec s) {
    List<Problem> p = new ArrayList<>();
    if (s.backup != null && s.backup.storage != null && s.backup.storage.existingClaim != null
        && (s.backup.storage.size != null || s.backup.storage.storageClassName != null)) {
      p.add(new Problem("spec.backup.storage",
          "existingClaim excludes size and storageClassName (the claim exists already)"));
    }
    if (s.backup != null && s.backup.storage != null && s.backup.storage.s3 != null
        && (s.backup.storage.existingClaim != null || s.backup.storage.size != null
            || s.backup.storage.storageClassName != null)) {
      p.add(new Problem("spec.backup.storage",
          "s3 excludes the volume fields existingClaim, size and storageClassName"));
    }
    if (s.backup != null) {
      // The operator's check alone: the CRD's CEL cost budget cannot hold these rules for every resources field
      // (see BackupSpec.resources).
      ResourcesCheck.check(p, "spec.backup.resources", s.backup.resources, Stage.OPERATOR);
      if (s.backup.storage != null) {
        SpecValidator.positiveSize(p, "spec.backup.storage.size", s.backup.storage.size);
      }
      // What CEL cannot check: the API server admits these, and the CronJob would be refused.
      if (s.backup.schedule != null) {
        CronCheck.problem(s.backup.schedule).ifPresent(m ->
            p.add(new Problem("spec.backup.schedule", m, Stage.OPERATOR)));
      }
      if (s.backup.timeZone != null && !TIME_ZONES.contains(s.backup.timeZone)) {
        p.add(new Problem("spec.backup.timeZone", "'" + s.backup.timeZone + "' is not an IANA time zone name;"
            + " use a name such as Europe/London, America/New_York or UTC", Stage.OPERATOR));
      }
    }
    RestoreSpecValidator.validate(p, s);
    return p;
  }
}
