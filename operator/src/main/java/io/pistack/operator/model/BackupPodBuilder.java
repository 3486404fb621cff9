package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pod of every backup and restore Job: a stock MariaDB image running a script carried in the pod spec
 * ({@link BackupScripts}: no object of the namespace decides what runs), with the backup volume, the shared volume (read-only for a backup) and the
 * database credentials from the same Secret the dashboard uses (referenced, never copied).
 *
 * <p>A backup or restore pod runs as the user owning the shared files, the dashboard's: by default the Pi
 * images run as root, so it runs as root with only the capabilities file handling needs (reading the keys
 * the dashboard wrote with mode 600 needs DAC_OVERRIDE; a restore puts the files back with their owners:
 * CHOWN, FOWNER), and fits the "baseline" Pod Security Standard. When the dashboard runs as a non-root
 * user (spec.dashboard.podSecurityContext / securityContext runAsUser), the pod runs as that user and
 * group with no capability at all: "restricted". A verification pod touches no file of the stack; it reads
 * the backup (mode 600): from the backup volume as the backup pods' user (so as they are), from S3 (it
 * fetches the files itself) as MariaDB's own user, "restricted". Every container: no privilege escalation,
 * a read-only root file system; every pod: RuntimeDefault seccomp.
 *
 * <p>With an S3 target (spec.backup.storage.s3) the backup directory is an emptyDir and the pod has two
 * containers: a backup runs backup.sh (init container) then {@code s3.sh upload} on the AWS CLI image; a restore
 * runs {@code s3.sh fetch} (init container) then restore.sh. Only the S3 container gets the S3 credentials, only
 * the MariaDB container the database's.
 */
public final class BackupPodBuilder {
  public static final String TERMINATION_LOG = "/dev/termination-log";
  static final String BACKUPS_VOLUME = "backups";
  static final String SHARED_VOLUME = "shared";
  static final String TMP_VOLUME = "tmp";
  static final String VERIFY_VOLUME = "verify";
  public static final String VERIFY_CONTAINER = "verify";
  /** The s3.sh commands, also the names of their containers. */
  public static final String S3_UPLOAD = "upload";
  public static final String S3_FETCH = "fetch";

  public enum Script {
    BACKUP("backup", BackupSettings.BACKUP_SCRIPT),
    RESTORE("restore", BackupSettings.RESTORE_SCRIPT);

    final String container;
    final String file;

    Script(String container, String file) {
      this.container = container;
      this.file = file;
    }

    public String container() {
      return container;
    }
  }

  private BackupPodBuilder() {}

  /** What every backup, restore and verification pod shares: run once, no API token, seccomp, pull secrets. */
  static io.fabric8.kubernetes.api.model.PodTemplateSpecFluent<PodTemplateSpecBuilder>.SpecNested<PodTemplateSpecBuilder>
      jobPod(ResolvedStack stack, Map<String, String> labels, Optional<S3Target> s3, PodSecurityContext security) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(false)
        .withServiceAccountName(s3.flatMap(S3Target::serviceAccountName).orElse(null))
        .withImagePullSecrets(stack.images().pullSecrets())
        .withSecurityContext(security);
  }

  /**
   * @param labels labels of the pods (the Job controller adds job-name)
   * @param extraEnv script-specific variables, in order
   */
  public static PodTemplateSpec template(BackupSettings settings, Script script, Map<String, String> labels,
      Map<String, String> extraEnv) {
    return template(settings, script, labels, extraEnv, settings.s3(), settings.claimName());
  }

  /** As above, reading from {@code s3}, or else the claim {@code claim} (a restore from another stack: RestorePods). */
  static PodTemplateSpec template(BackupSettings settings, Script script, Map<String, String> labels,
      Map<String, String> extraEnv, Optional<S3Target> s3, String claim) {
    ResolvedStack stack = settings.stack();
    boolean restore = script == Script.RESTORE;
    // With an S3 target the backup directory is this pod's own scratch space (an emptyDir): the MariaDB
    // container writes (backup) or reads (restore) it, the AWS CLI container uploads or fetches it.
    boolean asRoot = BackupPodSecurity.filesOwner(stack).isEmpty();
    var dbContainer = scriptContainer(settings, script, extraEnv, asRoot);
    var pod = jobPod(stack, labels, s3, BackupPodSecurity.filesPod(stack));
    if (s3.isEmpty()) {
      pod.withContainers(dbContainer);
    } else if (restore) {
      pod.withInitContainers(s3Container(settings, s3.get(), S3_FETCH, extraEnv, asRoot)).withContainers(dbContainer);
    } else {
      pod.withInitContainers(dbContainer).withContainers(s3Container(settings, s3.get(), S3_UPLOAD, Map.of(), asRoot));
    }
    var backups = new VolumeBuilder().withName(BACKUPS_VOLUME);
    if (s3.isPresent()) {
      backups.withNewEmptyDir().endEmptyDir();
    } else {
      backups.withNewPersistentVolumeClaim().withClaimName(claim).withReadOnly(onlyTrue(restore))
          .endPersistentVolumeClaim();
    }
    return pod.withVolumes(
            backups.build(),
            new VolumeBuilder().withName(SHARED_VOLUME).withNewPersistentVolumeClaim()
                .withClaimName(stack.sharedClaimName()).withReadOnly(onlyTrue(!restore)).endPersistentVolumeClaim()
                .build(),
            new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build())
        .endSpec()
        .build();
  }

  /**
   * The verification pod: verify.sh on the MariaDB image restores the backup into a server of its own, in the
   * emptyDir {@link BackupSettings#VERIFY_DIR}, listening on no port. It gets no database credentials and does not
   * mount the shared volume: it touches nothing of the stack. With an S3 target {@code s3.sh fetch} (init
   * container) downloads the backup first.
   */
  public static PodTemplateSpec verifyTemplate(BackupSettings settings, Map<String, String> labels,
      String backupName) {
    ResolvedStack stack = settings.stack();
    Optional<S3Target> s3 = settings.s3();
    boolean verifyAsRoot = s3.isEmpty() && BackupPodSecurity.filesOwner(stack).isEmpty();
    List<EnvVar> env = new ArrayList<>();
    env.add(plain("TZ", "UTC"));
    env.add(plain("HOME", "/tmp"));
    env.add(plain("DB_SCHEMA", stack.database().schema()));
    env.add(plain("BACKUP_DIR", BackupSettings.BACKUP_DIR));
    env.add(plain("WORK_DIR", BackupSettings.VERIFY_DIR));
    env.add(plain(BackupScripts.RESTORE_SCRIPT_ENV, BackupScripts.RESTORE));
    env.add(plain("VERIFY_BACKUP", backupName));
    env.add(plain("VERIFY_KEY_TABLES", String.join(" ", settings.verifyKeyTables())));
    env.add(plain("TERMINATION_LOG", TERMINATION_LOG));
    Container verify = new ContainerBuilder()
        .withName(VERIFY_CONTAINER)
        .withImage(settings.image())
        .withImagePullPolicy("IfNotPresent")
        .withCommand(BackupScripts.command(BackupSettings.VERIFY_SCRIPT))
        .withEnv(env)
        .withResources(settings.resources())
        .withTerminationMessagePath(TERMINATION_LOG)
        .withTerminationMessagePolicy("File")
        .withSecurityContext(verifyAsRoot ? BackupPodSecurity.rootFiles() : BackupPodSecurity.nonRoot())
        .withVolumeMounts(
            new VolumeMountBuilder().withName(BACKUPS_VOLUME).withMountPath(BackupSettings.BACKUP_DIR)
                .withReadOnly(true).build(),
            new VolumeMountBuilder().withName(VERIFY_VOLUME).withMountPath(BackupSettings.VERIFY_DIR).build(),
            new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build())
        .build();
    // From S3 the pod fetches the files itself: MariaDB's own user, owning the emptyDirs through fsGroup
    // ("restricted"). From the backup volume it reads files the backup pods wrote with mode 600: as their
    // user (root unless the dashboard runs as a non-root user).
    var pod = jobPod(stack, labels, s3, s3.isPresent() ? PodSecurity.defaultPod(PodSecurity.MARIADB_USER)
        : BackupPodSecurity.filesPod(stack));
    var backups = new VolumeBuilder().withName(BACKUPS_VOLUME);
    if (s3.isPresent()) {
      pod.withInitContainers(s3Container(settings, s3.get(), S3_FETCH, Map.of("RESTORE_BACKUP", backupName), false));
      backups.withNewEmptyDir().endEmptyDir();
    } else {
      backups.withNewPersistentVolumeClaim().withClaimName(settings.claimName()).withReadOnly(true)
          .endPersistentVolumeClaim();
    }
    return pod.withContainers(verify)
        .withVolumes(
            backups.build(),
            new VolumeBuilder().withName(VERIFY_VOLUME).withNewEmptyDir().endEmptyDir().build(),
            new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build())
        .endSpec()
        .build();
  }

  /** backup.sh or restore.sh on the MariaDB image, with the database credentials. */
  private static Container scriptContainer(BackupSettings settings, Script script, Map<String, String> extraEnv,
      boolean asRoot) {
    ResolvedStack stack = settings.stack();
    boolean restore = script == Script.RESTORE;
    List<EnvVar> env = new ArrayList<>();
    env.add(plain("TZ", "UTC"));
    env.add(plain("HOME", "/tmp"));
    env.add(plain("DB_HOST", stack.database().host()));
    env.add(plain("DB_PORT", Integer.toString(stack.database().port())));
    env.add(plain("DB_SCHEMA", stack.database().schema()));
    // A restore writes: the application user. A backup only reads: the backup user (embedded database).
    env.add(secret("DB_USER", restore ? stack.database().username() : stack.database().backupUsername()));
    env.add(secret("DB_PASSWORD", restore ? stack.database().password() : stack.database().backupPassword()));
    env.add(plain("BACKUP_DIR", BackupSettings.BACKUP_DIR));
    env.add(plain("SHARED_DIR", BackupSettings.SHARED_DIR));
    env.add(plain("TERMINATION_LOG", TERMINATION_LOG));
    if (restore && stack.database().embedded()) {
      // The application user may not create objects defined by another user (the vendor's root): it owns them.
      env.add(plain("RESTORE_STRIP_DEFINERS", "true"));
    }
    // From S3 the fetch container puts the backup it resolved under its own name; a named backup is restored by that
    // name (never as "latest", which ignores names dated in the future).
    extraEnv.forEach((k, v) -> env.add(plain(k, v)));

    return new ContainerBuilder()
        .withName(script.container)
        .withImage(settings.image())
        .withImagePullPolicy("IfNotPresent")
        .withCommand(BackupScripts.command(script.file))
        .withEnv(env)
        .withResources(settings.resources())
        .withTerminationMessagePath(TERMINATION_LOG)
        .withTerminationMessagePolicy("File")
        .withSecurityContext(asRoot ? BackupPodSecurity.rootFiles() : BackupPodSecurity.nonRoot())
        .withVolumeMounts(
            // A restore only reads backups: the script takes the lock file read-only.
            new VolumeMountBuilder().withName(BACKUPS_VOLUME).withMountPath(BackupSettings.BACKUP_DIR)
                .withReadOnly(onlyTrue(restore)).build(),
            new VolumeMountBuilder().withName(SHARED_VOLUME).withMountPath(BackupSettings.SHARED_DIR)
                .withReadOnly(onlyTrue(!restore)).build(),
            new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build())
        .build();
  }

  /**
   * s3.sh on the AWS CLI image: the bucket's settings as plain variables, the access key (if any) as
   * secretKeyRefs. It gets no database credentials and needs no capabilities: it only reads and writes the
   * scratch directory its pod's other container (the same user) uses.
   */
  static Container s3Container(BackupSettings settings, S3Target s3, String command,
      Map<String, String> extraEnv, boolean asRoot) {
    boolean upload = command.equals(S3_UPLOAD);
    List<EnvVar> env = new ArrayList<>();
    env.add(plain("TZ", "UTC"));
    env.add(plain("HOME", "/tmp"));
    env.add(plain("BACKUP_DIR", BackupSettings.BACKUP_DIR));
    env.add(plain("TERMINATION_LOG", TERMINATION_LOG));
    env.add(plain("S3_BUCKET", s3.bucket()));
    env.add(plain("S3_PREFIX", s3.prefix()));
    env.add(plain("S3_REGION", s3.region()));
    s3.endpoint().ifPresent(e -> env.add(plain("S3_ENDPOINT", e)));
    if (upload) {
      s3.lock().ifPresent(l -> {
        env.add(plain("S3_LOCK_MODE", l.mode().name()));
        env.add(plain("S3_LOCK_DAYS", Integer.toString(l.days())));
      });
    }
    s3.credentials().ifPresent(c -> {
      env.add(secret("AWS_ACCESS_KEY_ID", new ResolvedStack.SecretKey(c.secretName(), c.accessKeyIdKey())));
      env.add(secret("AWS_SECRET_ACCESS_KEY", new ResolvedStack.SecretKey(c.secretName(), c.secretAccessKeyKey())));
    });
    extraEnv.forEach((k, v) -> env.add(plain(k, v)));
    return new ContainerBuilder()
        .withName(command)
        .withImage(s3.image())
        .withImagePullPolicy("IfNotPresent")
        .withCommand(BackupScripts.command(BackupSettings.S3_SCRIPT, command))
        .withEnv(env)
        .withResources(settings.resources())
        .withTerminationMessagePath(TERMINATION_LOG)
        .withTerminationMessagePolicy("File")
        .withSecurityContext(asRoot ? BackupPodSecurity.rootNoFiles() : BackupPodSecurity.nonRoot())
        .withVolumeMounts(
            new VolumeMountBuilder().withName(BACKUPS_VOLUME).withMountPath(BackupSettings.BACKUP_DIR)
                .withReadOnly(onlyTrue(upload)).build(),
            new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build())
        .build();
  }

  /**
   * A variable from a Secret, without the {@code value: ""} the Deployments' variables carry: JOSDK's
   * matcher adds that empty value only to the pod templates of workloads (Deployment, StatefulSet...),
   * not to a CronJob's, where the API server's omitted value would then never match.
   */
  private static EnvVar secret(String name, ResolvedStack.SecretKey ref) {
    return new EnvVarBuilder().withName(name)
        .withNewValueFrom().withNewSecretKeyRef(ref.key(), ref.secret(), false).endValueFrom().build();
  }

  /** {@code readOnly: false} is dropped by the API server (omitempty): send it only when true. */
  private static Boolean onlyTrue(boolean b) {
    return b ? Boolean.TRUE : null;
  }

  private static EnvVar plain(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
