package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The outcome of the last verification: a backup restored into a throwaway MariaDB and checked. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupVerificationStatus {
  public enum Result { Passed, Failed }

  @JsonPropertyDescription("When the verification Job finished (RFC 3339).")
  public String time;

  @JsonPropertyDescription("The backup that was verified.")
  public String backupName;

  @JsonPropertyDescription("Passed: it restored, its MANIFEST checksums matched, its tables exist and its key tables"
      + " have rows. Failed: see message.")
  public Result result;

  @JsonPropertyDescription("Why a verification failed, or what a passed one found.")
  public String message;

  @Override
  public boolean equals(Object o) {
    return o instanceof BackupVerificationStatus v && Objects.equals(time, v.time)
        && Objects.equals(backupName, v.backupName) && result == v.result && Objects.equals(message, v.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(time, backupName, result, message);
  }
}
