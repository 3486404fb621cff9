package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.RestoreSourceSpec;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import java.util.Optional;

/**
 * The identity of a restore request, from the spec alone: the restore Job's name is derived from it (JobNames), so a
 * request runs once whatever backup it resolves to. A plain {@code backup} from the stack's own target keeps the key
 * it always had (the backup's name): an operator upgrade never renames, so never re-runs, a restore already done.
 */
public final class RestoreKeys {
  private RestoreKeys() {}

  /** Empty when the spec asks for no restore. */
  public static Optional<String> key(RestoreSpec r) {
    if (r == null) {
      return Optional.empty();
    }
    String what = present(r.backup) ? r.backup : present(r.piBackup) ? "piBackup=" + r.piBackup
        : present(r.before) ? "before=" + r.before : null;
    if (what == null) {
      return Optional.empty();
    }
    if (r.source == null && !present(r.piBackup) && !present(r.before)) {
      return Optional.of(what);
    }
    StringBuilder k = new StringBuilder(present(r.backup) ? "backup=" + r.backup : what);
    source(r.source).ifPresent(s -> k.append(";source=").append(s));
    if (Boolean.TRUE.equals(r.requireVerified)) {
      k.append(";verified");
    }
    return Optional.of(k.toString());
  }

  /** {@code ns/stack}, {@code stack} or {@code s3://bucket/prefix@endpoint}. */
  static Optional<String> source(RestoreSourceSpec s) {
    if (s == null) {
      return Optional.empty();
    }
    if (s.s3 != null) {
      return Optional.of("s3://" + s.s3.bucket + "/" + (s.s3.prefix == null ? "" : s.s3.prefix)
          + (s.s3.endpoint == null ? "" : "@" + s.s3.endpoint));
    }
    return Optional.of((s.namespace == null ? "" : s.namespace + "/") + s.stack);
  }

  private static boolean present(String s) {
    return s != null && !s.isBlank();
  }
}
