package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The optional Qdrant vector database for the dashboard's AI features: off unless enabled, a
 * single pod with its own ReadWriteOnce volume (Qdrant does not support network file systems).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.replicas) || self.replicas <= 1", message = QdrantSpec.ONE_REPLICA_MESSAGE)
public class QdrantSpec extends ComponentSpec implements ComponentVolumeSettings {
  public static final String ONE_REPLICA_MESSAGE = "qdrant runs at most one replica (its volume is ReadWriteOnce)";

  @Pattern(StorageSpec.QUANTITY_PATTERN)
  @JsonPropertyDescription("Size of Qdrant's own ReadWriteOnce volume (<stack>-qdrant-storage). Default 10Gi."
      + " It outlives the PiStack, and disabling Qdrant, unless spec.storage.deleteWithStack is true.")
  public String storageSize;

  @JsonPropertyDescription("Storage class of Qdrant's volume; it must give block storage (ReadWriteOnce), never a"
      + " network file system. Default: the cluster's default class.")
  public String storageClassName;

  @Override
  public String storageSize() {
    return storageSize;
  }

  @Override
  public String storageClassName() {
    return storageClassName;
  }
}
