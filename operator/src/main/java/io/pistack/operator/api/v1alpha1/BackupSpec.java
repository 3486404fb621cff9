package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * Scheduled backups of the repository database and the shared files, and the pre-upgrade backup
 * that runs before a version change rolls out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BackupSpec {
  public static final String DEFAULT_SCHEDULE = "0 2 * * *";
  public static final int DEFAULT_KEEP = 7;
  /** Five cron fields, or one of the CronJob macros. */
  static final String SCHEDULE_PATTERN =
      "^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|[^\\s]+( +[^\\s]+){4})$";

  @JsonPropertyDescription("Run scheduled backups, and a pre-upgrade backup before every version change."
      + " Default false.")
  public Boolean enabled;

  @Pattern(SCHEDULE_PATTERN)
  @JsonPropertyDescription("Cron schedule of the backup CronJob. Default \"0 2 * * *\" (nightly at 02:00 in"
      + " timeZone). Five fields: minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of week"
      + " 0-6 or SUN-SAT, with lists, ranges and steps; or @hourly, @daily, @weekly, @monthly, @yearly.")
  public String schedule;

  @Pattern("^[A-Za-z0-9_+/-]{1,64}$")
  @JsonPropertyDescription("IANA time zone of the schedule, e.g. Europe/London. Default: the time zone of"
      + " the cluster's controller manager (usually UTC).")
  public String timeZone;

  @Min(1)
  @Max(1000)
  @JsonPropertyDescription("Scheduled backups kept on the backup volume; older ones are deleted after a"
      + " successful backup. Pre-upgrade backups are counted separately with the same limit. Default 7. With an S3"
      + " target only when set: the operator then deletes the older ones' data from the bucket (never one under"
      + " Object Lock) and their PiBackups.")
  public Integer keep;

  @JsonPropertyDescription("Where backups are written: a PersistentVolumeClaim <stack>-backups (created),"
      + " an existing claim, or an S3-compatible bucket (s3).")
  public BackupStorageSpec storage;

  @JsonPropertyDescription("Verify each new backup by restoring it into a throwaway MariaDB. On by default.")
  public BackupVerifySpec verify;

  @JsonPropertyDescription("Image of the backup and restore Jobs; it needs bash, gzip, tar, flock and the"
      + " mariadb clients. Default: the embedded MariaDB image (docker.io/library/mariadb:10.11).")
  public String image;

  // No CEL here, as on every resources field (ResourceRules): the operator checks these rules before it applies
  // anything (InvalidSpec).
  @JsonPropertyDescription("Compute resources of the backup and restore Jobs. Default 100m/256Mi requests,"
      + " 1Gi memory limit. cpu and memory are Kubernetes quantities (4Gi or 4096Mi, 500m or 2; not 4096MB, and a number without a unit is bytes); memory at least 32Mi; each limit at least its request."
      + " Kubernetes ResourceRequirements: kubectl explain pod.spec.containers.resources")
  public ResourceRequirements resources;

  @io.fabric8.generator.annotation.Size(max = 64)
  @JsonPropertyDescription("Namespaces allowed to clone this stack's backups.")
  public java.util.List<String> cloneAllowedNamespaces;
}
