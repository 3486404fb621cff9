package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The last backup outcomes (scheduled, pre-upgrade and PiBackup backups). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupStatus {
  @JsonPropertyDescription("When the last successful backup Job completed (RFC 3339).")
  public String lastSuccessfulTime;

  @JsonPropertyDescription("Name of the last successful backup (a directory on the backup volume).")
  public String lastBackupName;

  @JsonPropertyDescription("Size in bytes of the last successful backup.")
  public Long sizeBytes;

  @JsonPropertyDescription("Where the last successful backup is, as pvc:<claim>/<backup name> or"
      + " s3://<bucket>/<prefix><backup name>.")
  public String location;

  @JsonPropertyDescription("When the last failed backup Job failed (RFC 3339).")
  public String lastFailureTime;

  @JsonPropertyDescription("Why the last failed backup Job failed.")
  public String lastFailureMessage;

  @JsonPropertyDescription("The last verification of a backup (restored into a throwaway database and checked).")
  public BackupVerificationStatus lastVerified;

  @JsonPropertyDescription("The S3 key prefix of this stack's backups when spec.backup.storage.s3.prefix is not set:"
      + " <namespace>/<stack>/, or <stack>/ for a stack that already had backups there (the default of earlier"
      + " versions). Recorded once, so that it never moves away from existing backups.")
  public String s3DefaultPrefix;

  @Override
  public boolean equals(Object o) {
    return o instanceof BackupStatus b
        && Objects.equals(lastSuccessfulTime, b.lastSuccessfulTime)
        && Objects.equals(lastBackupName, b.lastBackupName)
        && Objects.equals(sizeBytes, b.sizeBytes)
        && Objects.equals(location, b.location)
        && Objects.equals(lastFailureTime, b.lastFailureTime)
        && Objects.equals(lastFailureMessage, b.lastFailureMessage)
        && Objects.equals(lastVerified, b.lastVerified)
        && Objects.equals(s3DefaultPrefix, b.s3DefaultPrefix);
  }

  @Override
  public int hashCode() {
    return Objects.hash(lastSuccessfulTime, lastBackupName, sizeBytes, location, lastFailureTime,
        lastFailureMessage, lastVerified, s3DefaultPrefix);
  }
}
