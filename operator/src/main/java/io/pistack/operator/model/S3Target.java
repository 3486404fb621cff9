package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.ObjectLockSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.S3CredentialsSpec;
import io.pistack.operator.api.v1alpha1.S3StorageSpec;
import java.util.Optional;

/**
 * spec.backup.storage.s3 with its defaults resolved: what the upload, download and verification containers
 * are given (as S3_* variables for s3.sh, and secretKeyRefs for the credentials).
 *
 * @param prefix key prefix, ending in "/" ({@link S3Prefix}: default {@code <namespace>/<stack>/})
 * @param credentials the Secret with an access key, or empty for workload identity
 * @param lock the Object Lock retention of each object, or empty
 */
public record S3Target(String bucket, String region, Optional<String> endpoint, String prefix,
    Optional<Credentials> credentials, Optional<String> serviceAccountName, Optional<Lock> lock, String image) {

  /** A Secret key pair; the pods reference it, the operator never reads it. */
  public record Credentials(String secretName, String accessKeyIdKey, String secretAccessKeyKey) {}

  public record Lock(ObjectLockSpec.Mode mode, int days) {}

  static S3Target of(S3StorageSpec s3, PiStack stack) {
    String prefix = S3Prefix.of(s3, stack);
    Optional<Credentials> creds = Optional.ofNullable(s3.credentials).map(c -> new Credentials(c.secretName,
        c.accessKeyIdKey == null ? S3CredentialsSpec.DEFAULT_ACCESS_KEY_ID_KEY : c.accessKeyIdKey,
        c.secretAccessKeyKey == null ? S3CredentialsSpec.DEFAULT_SECRET_ACCESS_KEY_KEY : c.secretAccessKeyKey));
    Optional<Lock> lock = Optional.ofNullable(s3.objectLock).filter(l -> l.mode != null && l.days != null)
        .map(l -> new Lock(l.mode, l.days));
    return new S3Target(s3.bucket, s3.region == null ? S3StorageSpec.DEFAULT_REGION : s3.region,
        Optional.ofNullable(s3.endpoint).filter(e -> !e.isBlank()), prefix, creds,
        Optional.ofNullable(s3.serviceAccountName), lock,
        s3.image == null || s3.image.isBlank() ? S3StorageSpec.DEFAULT_IMAGE : s3.image);
  }

  /** s3://bucket/prefix/name */
  public String location(String backupName) {
    return "s3://" + bucket + "/" + prefix + backupName;
  }
}
