package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** S3 Object Lock retention of each uploaded backup object. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ObjectLockSpec {
  public enum Mode { GOVERNANCE, COMPLIANCE }

  @Required
  @JsonPropertyDescription("COMPLIANCE: no one, not even the account's root user, can delete an object version"
      + " or shorten its retention before it ends. GOVERNANCE: only principals with"
      + " s3:BypassGovernanceRetention can.")
  public Mode mode;

  @Required
  @Min(1)
  @Max(36500)
  @JsonPropertyDescription("Days each object is retained, counted from its upload.")
  public Integer days;
}
