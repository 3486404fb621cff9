package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A one-shot restore: a backup named on the target, a PiBackup, or the newest completed PiBackup before a time; from
 * this stack's own target or, as a clone, from another stack's (source). The dashboard and the scheduler stay scaled
 * to zero until it has succeeded. A database that already has tables is never overwritten unless force. The CRD
 * keeps these fields short (its size budget, CrdSizeTest): the operator checks their form (RestoreSpecValidator).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "[has(self.backup), has(self.piBackup), has(self.before)].exists_one(x, x)",
    message = "exactly one of backup, piBackup, before")
public class RestoreSpec {
  @Pattern("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$")
  @JsonPropertyDescription("A backup's name on the target (scheduled-20250131T020000Z...), or 'latest'.")
  public String backup;

  @JsonPropertyDescription("A PiBackup to restore.")
  public String piBackup;

  @JsonPropertyDescription("RFC 3339: the newest PiBackup completed before it.")
  public String before;

  @JsonPropertyDescription("Only a PiBackup whose verification passed.")
  public Boolean requireVerified;

  @JsonPropertyDescription("Overwrite a database that has tables. Default false: refused.")
  public Boolean force;

  @SchemaFrom(type = Object.class)
  @PreserveUnknownFields
  @JsonPropertyDescription("Clone: {namespace, stack} or {s3: {bucket, prefix, region, endpoint}}, credentials,"
      + " serviceAccountName. docs/backup-restore.md")
  public RestoreSourceSpec source;

  @JsonPropertyDescription("SQL run once after the restore, before the dashboard starts.")
  public AfterRestoreSqlSpec afterRestoreSql;
}
