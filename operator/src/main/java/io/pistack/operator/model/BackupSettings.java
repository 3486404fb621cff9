package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.pistack.operator.api.v1alpha1.BackupSpec;
import io.pistack.operator.api.v1alpha1.BackupStorageSpec;
import io.pistack.operator.api.v1alpha1.BackupVerifySpec;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import java.util.Optional;

/**
 * spec.backup and spec.restore with every default resolved in memory (the spec is never written),
 * and the names and paths the backup and restore Jobs share.
 */
public final class BackupSettings {
  /** Where the Jobs mount the backup volume and the shared volume; SCRIPTS_DIR is the scripts' $0 (they are carried in the pod spec). */
  public static final String BACKUP_DIR = "/backups";
  public static final String SHARED_DIR = "/shared";
  public static final String SCRIPTS_DIR = "/opt/pi-operator";
  public static final String BACKUP_SCRIPT = "backup.sh";
  public static final String RESTORE_SCRIPT = "restore.sh";
  public static final String S3_SCRIPT = "s3.sh";
  public static final String VERIFY_SCRIPT = "verify.sh";
  /** verify.sh's scratch space: the throwaway database's data directory. */
  public static final String VERIFY_DIR = "/verify";
  /** backup.sh's name prefix of the backups written before an upgrade. */
  public static final String PRE_UPGRADE_PREFIX = "pre-upgrade";
  public static final String SCHEDULED_PREFIX = "scheduled";

  private final ResolvedStack stack;
  private final BackupSpec backup;
  private final RestoreSpec restore;

  private BackupSettings(ResolvedStack stack) {
    this.stack = stack;
    PiStackSpec spec = stack.source().getSpec();
    this.backup = spec == null || spec.backup == null ? new BackupSpec() : spec.backup;
    this.restore = spec == null ? null : spec.restore;
  }

  /** Resolves the settings; only {@link ResolvedStack#backup()} calls this, so a stack resolves them once. */
  static BackupSettings resolve(ResolvedStack stack) {
    return new BackupSettings(stack);
  }

  public ResolvedStack stack() {
    return stack;
  }

  /** Scheduled backups, and a pre-upgrade backup before each version change. */
  public boolean enabled() {
    return Boolean.TRUE.equals(backup.enabled);
  }

  /** The backup volume and the scripts are needed to back up and to restore. */
  public boolean storageWanted() {
    return enabled() || (restore().isPresent() && (restore.source == null));
  }

  /** True when the operator creates the backup claim (no existingClaim given, no object-store target). */
  public boolean createsClaim() {
    return storageWanted() && storage().existingClaim == null && s3().isEmpty();
  }

  /** The S3 target, when backups go to a bucket instead of a volume. */
  public Optional<S3Target> s3() {
    return Optional.ofNullable(storage().s3).map(s3 -> S3Target.of(s3, stack.source()));
  }

  /** With an S3 target: the prefix used when the spec sets none, as {@link S3Prefix} decides it (recorded in status). */
  public Optional<String> s3DefaultPrefix() {
    return Optional.ofNullable(storage().s3).map(s3 -> S3Prefix.defaultPrefix(s3, stack.source()));
  }

  /** Where a backup of this name is: {@code s3://bucket/prefix/name} or {@code pvc:claim/name}. */
  public String location(String backupName) {
    return s3().map(t -> t.location(backupName)).orElseGet(() -> "pvc:" + claimName() + "/" + backupName);
  }

  /** Each new successful backup is verified by restoring it (spec.backup.verify.enabled, default true). */
  public boolean verifyEnabled() {
    return enabled() && (backup.verify == null || !Boolean.FALSE.equals(backup.verify.enabled));
  }

  /** The tables a verified backup must have rows in. */
  public java.util.List<String> verifyKeyTables() {
    return backup.verify == null || backup.verify.keyTables == null ? BackupVerifySpec.DEFAULT_KEY_TABLES
        : backup.verify.keyTables;
  }

  public String schedule() {
    return backup.schedule == null ? BackupSpec.DEFAULT_SCHEDULE : backup.schedule;
  }

  public Optional<String> timeZone() {
    return Optional.ofNullable(backup.timeZone);
  }

  public int keep() {
    return backup.keep == null ? BackupSpec.DEFAULT_KEEP : backup.keep;
  }

  /** {@code spec.backup.keep} is set: only then does keep delete backups from an S3 bucket ({@link S3Pruning}). */
  public boolean keepSet() {
    return backup.keep != null;
  }

  public String claimName() {
    String existing = storage().existingClaim;
    return existing != null ? existing : stack.name() + "-backups";
  }

  public String size() {
    return storage().size == null ? BackupStorageSpec.DEFAULT_SIZE : storage().size;
  }

  public Optional<String> storageClassName() {
    return Optional.ofNullable(storage().storageClassName);
  }

  public String image() {
    return backup.image == null || backup.image.isBlank() ? stack.database().mariadbImage() : backup.image;
  }

  public ResourceRequirements resources() {
    if (backup.resources != null) {
      return backup.resources;
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity("100m"))
        .addToRequests("memory", new Quantity("256Mi"))
        .addToLimits("memory", new Quantity("1Gi"))
        .build();
  }

  public String scriptsConfigMapName() {
    return stack.name() + "-backup-scripts";
  }

  public String cronJobName() {
    return stack.name() + "-backup";
  }

  /** The requested restore, if spec.restore is set. */
  public Optional<RestoreRequest> restore() {
    return RestoreKeys.key(restore).map(k -> new RestoreRequest(restore.backup != null ? restore.backup : k,
        Boolean.TRUE.equals(restore.force), k, Optional.empty()));
  }

  private BackupStorageSpec storage() {
    return backup.storage == null ? new BackupStorageSpec() : backup.storage;
  }

  /**
   * One restore request; the restore Job's name is derived from its key (what the spec asks: {@link RestoreKeys})
   * and force, never from the backup a time or a PiBackup resolves to (RestoreResolver), so a request runs once.
   *
   * @param backup the backup's name, once resolved; the key before
   * @param from where it is read, once resolved (empty: the stack's own target)
   */
  public record RestoreRequest(String backup, boolean force, String key, Optional<RestoreSource> from) {
    public RestoreRequest(String backup, boolean force) {
      this(backup, force, backup, Optional.empty());
    }

    /** The same request, resolved to one backup and where it is read. */
    public RestoreRequest resolved(RestoreSource source) {
      return new RestoreRequest(source.backup(), force, key, Optional.of(source));
    }
  }
}
