package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class StorageSpec {
  public static final String POSITIVE = "!isQuantity(self) || quantity(self).isGreaterThan(quantity('0'))";
  public static final String POSITIVE_MESSAGE = "a volume size must be more than 0, e.g. 10Gi";
  /** Bounds that keep the CEL cost of the volume rules (VolumeRules) small. */
  public static final int SIZE_MAX_LENGTH = 32;
  public static final int CLASS_MAX_LENGTH = 253;
  public static final String QUANTITY_PATTERN = "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$";

  @Size(max = SIZE_MAX_LENGTH)
  @Pattern(QUANTITY_PATTERN)
  @ValidationRule(value = "quantity(self).compareTo(quantity('5Gi')) >= 0",
      message = "the shared volume must be at least 5Gi")
  @JsonPropertyDescription("Size of the shared volume, at least 5Gi. Default 5Gi. It can grow (the operator grows"
      + " the claim in place; its storage class must allow volume expansion), never shrink.")
  public String size;

  @Size(max = CLASS_MAX_LENGTH)
  @JsonPropertyDescription("Storage class. It must support the access modes below. Default: cluster default."
      + " Fixed once set.")
  public String storageClassName;

  @JsonPropertyDescription("Access modes. Default [ReadWriteMany]: dashboard and scheduler pods share the keys."
      + " ReadWriteOnce works only when every such pod runs on one node (a warning); ReadWriteOncePod alone is refused.")
  public List<AccessMode> accessModes;

  @JsonPropertyDescription("Delete the shared volume, the database volume and the generated credentials"
      + " together with the PiStack. Default false: data outlives the PiStack.")
  public Boolean deleteWithStack;

  public enum AccessMode { ReadWriteOnce, ReadWriteMany, ReadWriteOncePod }
}
