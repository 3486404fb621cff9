package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.CapabilitiesBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pod of every backup and restore Job: a stock MariaDB image running a script from the
 * scripts ConfigMap, with the backup volume, the shared volume (read-only for a backup) and the
 * database credentials from the same Secret the dashboard uses (referenced, never copied).
 *
 * <p>It runs as root with only the capabilities file handling needs: the shared files are written
 * by the Pi containers (root), and a restore puts them back with their owners. No privilege
 * escalation, read-only root file system, RuntimeDefault seccomp; this fits the "baseline" Pod
 * Security Standard.
 */
public final class BackupPodBuilder {
  public static final String TERMINATION_LOG = "/dev/termination-log";
  static final String SCRIPTS_VOLUME = "scripts";
  static final String BACKUPS_VOLUME = "backups";
  static final String SHARED_VOLUME = "shared";
  static final String TMP_VOLUME = "tmp";
  /** r-xr-xr-x: the scripts are run with bash, so they only need to be readable. */
  static final int SCRIPT_MODE = 0555;

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

  /**
   * @param labels labels of the pods (the Job controller adds job-name)
   * @param extraEnv script-specific variables, in order
   */
  public static PodTemplateSpec template(BackupSettings settings, Script script, Map<String, String> labels,
      Map<String, String> extraEnv) {
    ResolvedStack stack = settings.stack();
    boolean restore = script == Script.RESTORE;
    List<EnvVar> env = new ArrayList<>();
    env.add(plain("TZ", "UTC"));
    env.add(plain("HOME", "/tmp"));
    env.add(plain("DB_HOST", stack.databaseHost()));
    env.add(plain("DB_PORT", Integer.toString(stack.databasePort())));
    env.add(plain("DB_SCHEMA", stack.databaseSchema()));
    env.add(secret("DB_USER", stack.databaseUsername()));
    env.add(secret("DB_PASSWORD", stack.databasePassword()));
    env.add(plain("BACKUP_DIR", BackupSettings.BACKUP_DIR));
    env.add(plain("SHARED_DIR", BackupSettings.SHARED_DIR));
    env.add(plain("TERMINATION_LOG", TERMINATION_LOG));
    extraEnv.forEach((k, v) -> env.add(plain(k, v)));

    Capabilities caps = new CapabilitiesBuilder().withDrop("ALL")
        .withAdd("CHOWN", "DAC_OVERRIDE", "FOWNER").build();
    var container = new ContainerBuilder()
        .withName(script.container)
        .withImage(settings.image())
        .withImagePullPolicy("IfNotPresent")
        .withCommand("bash", BackupSettings.SCRIPTS_DIR + "/" + script.file)
        .withEnv(env)
        .withResources(settings.resources())
        .withTerminationMessagePath(TERMINATION_LOG)
        .withTerminationMessagePolicy("File")
        .withNewSecurityContext()
        .withRunAsUser(0L)
        .withRunAsNonRoot(false)
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withCapabilities(caps)
        .endSecurityContext()
        .withVolumeMounts(
            new VolumeMountBuilder().withName(SCRIPTS_VOLUME).withMountPath(BackupSettings.SCRIPTS_DIR)
                .withReadOnly(true).build(),
            // A restore only reads backups: the script takes the lock file read-only.
            new VolumeMountBuilder().withName(BACKUPS_VOLUME).withMountPath(BackupSettings.BACKUP_DIR)
                .withReadOnly(onlyTrue(restore)).build(),
            new VolumeMountBuilder().withName(SHARED_VOLUME).withMountPath(BackupSettings.SHARED_DIR)
                .withReadOnly(onlyTrue(!restore)).build(),
            new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath("/tmp").build())
        .build();

    return new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(false)
        .withImagePullSecrets(stack.pullSecrets())
        .withNewSecurityContext().withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .endSecurityContext()
        .withContainers(container)
        .withVolumes(
            new VolumeBuilder().withName(SCRIPTS_VOLUME).withNewConfigMap()
                .withName(settings.scriptsConfigMapName()).withDefaultMode(SCRIPT_MODE).endConfigMap().build(),
            new VolumeBuilder().withName(BACKUPS_VOLUME).withNewPersistentVolumeClaim()
                .withClaimName(settings.claimName()).withReadOnly(onlyTrue(restore)).endPersistentVolumeClaim().build(),
            new VolumeBuilder().withName(SHARED_VOLUME).withNewPersistentVolumeClaim()
                .withClaimName(stack.sharedClaimName()).withReadOnly(onlyTrue(!restore)).endPersistentVolumeClaim()
                .build(),
            new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build())
        .endSpec()
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
