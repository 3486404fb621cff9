package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * An S3-compatible bucket as the backup target: AWS S3, or any server that speaks its API (MinIO, Ceph RGW...)
 * through {@link #endpoint}. Backups are uploaded with their SHA-256 and, with {@link #objectLock}, an Object Lock
 * retention on every object; the bucket's retention and lifecycle rules decide what stays.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3StorageSpec {
  public static final String DEFAULT_REGION = "us-east-1";
  /** The AWS CLI image of the upload/download containers (AWS CLI v2; the scripts also run with v1). */
  public static final String DEFAULT_IMAGE = "docker.io/amazon/aws-cli:2.27.0";

  @Required
  @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
  @JsonPropertyDescription("Bucket name. For Object Lock the bucket must have been created with Object Lock"
      + " enabled.")
  public String bucket;

  @Pattern("^[a-z0-9-]{1,32}$")
  @JsonPropertyDescription("Region of the bucket. Default us-east-1.")
  public String region;

  @Pattern("^https?://[^\\s]+$")
  @JsonPropertyDescription("Endpoint URL of an S3-compatible server (MinIO, Ceph...), used with path-style"
      + " addressing. Default: AWS S3 of the region.")
  public String endpoint;

  @Pattern("^([A-Za-z0-9._-]+/)*[A-Za-z0-9._-]*$")
  @JsonPropertyDescription("Key prefix of this stack's backups, e.g. prod/pi/ (a trailing / is added). Default:"
      + " <stack name>/. A new cluster restoring these backups must use the same prefix.")
  public String prefix;

  @JsonPropertyDescription("Static credentials from a Secret. Without it the pods use the cloud's workload"
      + " identity (IRSA, EKS Pod Identity...) through serviceAccountName.")
  public S3CredentialsSpec credentials;

  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("ServiceAccount of the backup, restore and verification pods, for workload identity."
      + " Default: the namespace's default ServiceAccount.")
  public String serviceAccountName;

  @JsonPropertyDescription("Object Lock retention set on every uploaded object, so that no one can delete or"
      + " overwrite a backup before it ends. Needs a bucket with Object Lock enabled.")
  public ObjectLockSpec objectLock;

  @JsonPropertyDescription("Image of the containers that upload and download (needs bash, coreutils, awk and the"
      + " AWS CLI). Default docker.io/amazon/aws-cli:2.27.0; pin it by digest in production.")
  public String image;
}
