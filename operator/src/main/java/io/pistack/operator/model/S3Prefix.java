package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.S3StorageSpec;

/**
 * The key prefix of a stack's backups in its bucket, ending in "/". In order:
 * <ol>
 *   <li>spec.backup.storage.s3.prefix, when set;
 *   <li>{@code <stack>/}, the default of earlier versions, when the stack's status shows that its last successful
 *       backup went there in this bucket: an existing stack keeps writing (and finding) its backups where they are;
 *   <li>{@code <namespace>/<stack>/}: stacks of the same name in two namespaces never share backups in one bucket.
 * </ol>
 * The record read in 2 is status.backup.location, which the operator writes after every successful backup; the
 * spec and metadata are never written. Pure: the same PiStack gives the same prefix.
 */
public final class S3Prefix {
  private S3Prefix() {}

  public static String of(S3StorageSpec s3, PiStack stack) {
    if (s3.prefix != null && !s3.prefix.isBlank()) {
      return s3.prefix.endsWith("/") ? s3.prefix : s3.prefix + "/";
    }
    return keepsUnscopedDefault(s3, stack) ? unscopedDefault(stack) : namespaced(stack);
  }

  /** True when the stack has no prefix in its spec and keeps {@code <stack>/}, which has no namespace. */
  public static boolean keepsUnscopedDefault(S3StorageSpec s3, PiStack stack) {
    if (s3.prefix != null && !s3.prefix.isBlank()) {
      return false;
    }
    BackupStatus b = stack.getStatus() == null ? null : stack.getStatus().backup;
    return b != null && b.lastBackupName != null && b.location != null
        && b.location.equals("s3://" + s3.bucket + "/" + unscopedDefault(stack) + b.lastBackupName);
  }

  /** {@code <namespace>/<stack>/}: the default of a stack with no backups under {@code <stack>/}. */
  public static String namespaced(PiStack stack) {
    return stack.getMetadata().getNamespace() + "/" + stack.getMetadata().getName() + "/";
  }

  static String unscopedDefault(PiStack stack) {
    return stack.getMetadata().getName() + "/";
  }
}
