package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Where one backup stands, and where it is once completed. Written by the operator only. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PiBackupStatus {
  public enum Phase { Pending, Running, Completed, Failed }

  @JsonPropertyDescription("The metadata.generation the status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("Pending (accepted, the Job's pod has not started), Running, Completed or Failed."
      + " Completed and Failed are final.")
  public Phase phase;

  @JsonPropertyDescription("Ready (True once Completed), Progressing (True while Pending or Running), Stalled"
      + " (present, True, only when Failed), Retained (present, True, when spec.backup.keep could not delete the"
      + " backup's data from the bucket: ObjectLocked, LegalHold or PruneFailed). Kubernetes Condition (meta/v1).")
  public List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The backup Job this PiBackup runs (owned by it).")
  public String jobName;

  @JsonPropertyDescription("When the backup Job started (RFC 3339).")
  public String startTime;

  @JsonPropertyDescription("When the backup completed or failed (RFC 3339).")
  public String completionTime;

  @JsonPropertyDescription("The backup's name, e.g. on-demand-20261207T010203Z: what spec.restore.backup names.")
  public String backupName;

  @JsonPropertyDescription("Where the backup is: pvc:<claim>/<backup name> or s3://<bucket>/<prefix><backup name>.")
  public String location;

  @JsonPropertyDescription("With an S3 target: the object version of the backup's MANIFEST (empty when the bucket"
      + " does not version objects).")
  public String versionId;

  @JsonPropertyDescription("Size in bytes of the backup (database dump, shared files and MANIFEST).")
  public Long sizeBytes;

  @JsonPropertyDescription("sha256:<hex> of the backup's MANIFEST, which lists the size and SHA-256 of every other"
      + " file of the backup.")
  public String manifestSha256;

  @JsonPropertyDescription("The verification of this backup, when spec.verify is true.")
  public BackupVerificationStatus verification;

  @JsonPropertyDescription("Why the backup failed, as a CamelCase reason: BackupFailed, StackNotFound, InvalidStack,"
      + " BackupsNotConfigured, JobDeleted. Absent unless phase is Failed.")
  public String reason;

  @JsonPropertyDescription("Why the backup failed or cannot run (never a credential).")
  public String message;

  @JsonPropertyDescription("Set while spec.backup.keep would delete this backup but its data in the bucket is under"
      + " Object Lock retention: until when (RFC 3339). The PiBackup and its data stay until then; the Retained"
      + " condition says why.")
  public String lockedUntil;

  @Override
  public boolean equals(Object o) {
    return o instanceof PiBackupStatus s && Objects.equals(observedGeneration, s.observedGeneration)
        && phase == s.phase && Objects.equals(conditions, s.conditions) && Objects.equals(jobName, s.jobName)
        && Objects.equals(startTime, s.startTime) && Objects.equals(completionTime, s.completionTime)
        && Objects.equals(backupName, s.backupName) && Objects.equals(location, s.location)
        && Objects.equals(versionId, s.versionId) && Objects.equals(sizeBytes, s.sizeBytes)
        && Objects.equals(manifestSha256, s.manifestSha256) && Objects.equals(verification, s.verification)
        && Objects.equals(reason, s.reason) && Objects.equals(message, s.message)
        && Objects.equals(lockedUntil, s.lockedUntil);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, phase, conditions, jobName, startTime, completionTime, backupName,
        location, versionId, sizeBytes, manifestSha256, verification, reason, message, lockedUntil);
  }
}
