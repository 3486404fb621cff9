package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * A one-shot restore from the backup volume. The dashboard and the scheduler stay scaled to zero
 * until it has succeeded. A database that already has tables is never overwritten unless force.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreSpec {
  @Required
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$")
  @JsonPropertyDescription("Name of a backup on the backup volume or in the S3 bucket (e.g."
      + " scheduled-20250131T020000Z), or 'latest' for the newest complete backup.")
  public String backup;

  @JsonPropertyDescription("Overwrite a database that already has tables. Default false: such a restore is"
      + " refused (status.restore.phase Refused). Remove spec.restore once it has succeeded.")
  public Boolean force;
}
