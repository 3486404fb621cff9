package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Progress and outcome of spec.restore. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RestoreStatus {
  public enum Phase { Pending, Running, Succeeded, Failed, Refused }

  @JsonPropertyDescription("Pending (waiting for the database, or for the dashboard and scheduler to stop),"
      + " Running, Succeeded, Failed, or Refused (the database is not empty and force is not set).")
  public Phase phase;

  @JsonPropertyDescription("The requested backup (spec.restore.backup).")
  public String backup;

  @JsonPropertyDescription("The PiBackup restored.")
  public String piBackup;

  @JsonPropertyDescription("Where it was read.")
  public String location;

  @JsonPropertyDescription("Whether the restore may overwrite a database that has tables.")
  public Boolean force;

  @JsonPropertyDescription("The restore Job; its name is derived from backup and force.")
  public String jobName;

  @JsonPropertyDescription("What is happening, or why it failed.")
  public String message;

  @JsonPropertyDescription("When the restore Job finished (RFC 3339).")
  public String completionTime;

  @Override
  public boolean equals(Object o) {
    return o instanceof RestoreStatus r
        && phase == r.phase
        && Objects.equals(backup, r.backup)
        && Objects.equals(force, r.force)
        && Objects.equals(piBackup, r.piBackup)
        && Objects.equals(location, r.location)
        && Objects.equals(jobName, r.jobName)
        && Objects.equals(message, r.message)
        && Objects.equals(completionTime, r.completionTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, backup, piBackup, location, force, jobName, message, completionTime);
  }
}
