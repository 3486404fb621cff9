package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.model.SpecValidator.Problem;
import java.util.ArrayList;
import java.util.List;

/** The CEL rules of spec.backup and spec.restore, mirrored in Java (see {@link SpecValidator}). */
final class BackupSpecValidator {
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
    if (s.restore != null && (s.restore.backup == null || s.restore.backup.isBlank())) {
      p.add(new Problem("spec.restore.backup", "required: a backup name or 'latest'"));
    }
    return p;
  }
}
