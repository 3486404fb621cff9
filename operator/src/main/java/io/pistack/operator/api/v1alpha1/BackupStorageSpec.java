package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where backups go: a volume (the default: a claim the operator creates, or existingClaim), or one of the
 * object-store targets ({@code s3}). Each target is its own field, so a new one (e.g. gcs, azureBlob) is added
 * beside the others without changing them; at most one target is set.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.s3) || (!has(self.existingClaim) && !has(self.size) && !has(self.storageClassName))",
    message = "backup.storage.s3 excludes the volume fields existingClaim, size and storageClassName")
@ValidationRule(value = "!has(self.existingClaim) || (!has(self.size) && !has(self.storageClassName))",
    message = "backup.storage.existingClaim excludes size and storageClassName (the claim exists already)")
public class BackupStorageSpec {
  public static final String DEFAULT_SIZE = "10Gi";

  @Size(max = StorageSpec.SIZE_MAX_LENGTH)
  @Pattern(StorageSpec.QUANTITY_PATTERN)
  @ValidationRule(value = StorageSpec.POSITIVE, message = StorageSpec.POSITIVE_MESSAGE)
  @JsonPropertyDescription("Size of the <stack>-backups claim, more than 0. Default 10Gi. It can grow (the"
      + " operator grows the claim in place; its storage class must allow volume expansion), never shrink.")
  public String size;

  @Size(max = StorageSpec.CLASS_MAX_LENGTH)
  @JsonPropertyDescription("Storage class of the <stack>-backups claim. Default: the cluster default. Fixed once"
      + " set.")
  public String storageClassName;

  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Use this existing PersistentVolumeClaim instead of creating <stack>-backups,"
      + " e.g. to restore from backups of another cluster. The operator never changes or deletes it.")
  public String existingClaim;

  @JsonPropertyDescription("An S3-compatible bucket instead of a volume: backups outlive the cluster, and with"
      + " objectLock no one can delete them before their retention ends.")
  public S3StorageSpec s3;
}
