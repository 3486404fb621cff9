package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where a clone's backup is read: another PiStack's backup target (that stack must allow this namespace in its
 * spec.backup.cloneAllowedNamespaces when it is in another namespace), or an S3 location. The clone never writes there.
 * Schemaless in the CRD (its size budget): RestoreSpecValidator checks every field's form before anything is applied.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreSourceSpec {
  /** Namespace of the source PiStack. Default: this namespace. */
  public String namespace;

  /** Name of the source PiStack, whose backup target (and PiBackups) are read. */
  public String stack;

  /** An S3 location of backups instead of a PiStack. */
  public RestoreS3Spec s3;

  /** A Secret of THIS namespace with read-only S3 credentials for the source's bucket; never the source's own. */
  public S3CredentialsSpec credentials;

  /** A ServiceAccount of this namespace the restore pod runs as (workload identity) to read the source's bucket. */
  public String serviceAccountName;

  /** The source's S3 location. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RestoreS3Spec {
    public String bucket;
    public String prefix;
    public String region;
    public String endpoint;
  }
}
