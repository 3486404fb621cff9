package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** The stack a PiBackup backs up, and whether to verify it. Immutable: a changed request is another object. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "the spec of a PiBackup cannot change: create another PiBackup")
public class PiBackupSpec {
  @Required
  @Pattern(StackName.FORM)
  @JsonPropertyDescription("The name of the PiStack to back up, in the PiBackup's namespace. Its spec.backup gives"
      + " the target (backup volume or S3 bucket) and the backup image, as for scheduled backups.")
  public String stack;

  @JsonPropertyDescription("After the backup completed, restore it into a throwaway database inside a Job and check"
      + " it (as spec.backup.verify does for scheduled backups). Default false.")
  public Boolean verify;

  public boolean verifyWanted() {
    return Boolean.TRUE.equals(verify);
  }
}
