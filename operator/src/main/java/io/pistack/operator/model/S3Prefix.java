package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.S3StorageSpec;

/**
 * The key prefix of a stack's backups in its bucket, ending in "/": spec.backup.storage.s3.prefix when set, else the
 * stack's default prefix, which is, in order:
 * <ol>
 *   <li>the one recorded in status.backup.s3DefaultPrefix (written by the operator the first time it decides it);
 *   <li>{@code <stack>/}, the default of earlier versions, when the stack's status shows that its last successful
 *       backup went there in this bucket, or that it backed up and not where: an existing stack keeps writing (and
 *       finding) its backups where they are;
 *   <li>{@code <namespace>/<stack>/}: stacks of the same name in two namespaces never share backups in one bucket.
 * </ol>
 * Only the PiStack's status is read and written for this; its spec and metadata never are. Pure: the same PiStack
 * gives the same prefix.
 */
public final class S3Prefix {
  private S3Prefix() {}

  public static String of(S3StorageSpec s3, PiStack stack) {
    if (s3.prefix != null && !s3.prefix.isBlank()) {
      return s3.prefix.endsWith("/") ? s3.prefix : s3.prefix + "/";
    }
    return defaultPrefix(s3, stack);
  }

  /** The prefix used when the spec sets none. */
  public static String defaultPrefix(S3StorageSpec s3, PiStack stack) {
    BackupStatus b = stack.getStatus() == null ? null : stack.getStatus().backup;
    if (b != null && b.s3DefaultPrefix != null && !b.s3DefaultPrefix.isBlank()) {
      return b.s3DefaultPrefix;
    }
    // A stack from before the record: its last backup is under <stack>/ in this bucket, or it has backed up and the
    // operator never learnt where (the run's pod was gone): it keeps <stack>/, the only default it can have written.
    boolean backupsThere = b != null && (b.location == null ? b.lastSuccessfulTime != null
        : b.location.equals("s3://" + s3.bucket + "/" + unscoped(stack) + b.lastBackupName));
    return backupsThere ? unscoped(stack) : namespaced(stack);
  }

  /** True when the stack has no prefix in its spec and uses {@code <stack>/}, which has no namespace. */
  public static boolean keepsUnscopedDefault(S3StorageSpec s3, PiStack stack) {
    return (s3.prefix == null || s3.prefix.isBlank()) && defaultPrefix(s3, stack).equals(unscoped(stack));
  }

  /** {@code <namespace>/<stack>/}: the default of a stack with no backups under {@code <stack>/}. */
  public static String namespaced(PiStack stack) {
    return stack.getMetadata().getNamespace() + "/" + stack.getMetadata().getName() + "/";
  }

  static String unscoped(PiStack stack) {
    return stack.getMetadata().getName() + "/";
  }
}
