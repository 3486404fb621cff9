package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pistack.operator.api.v1alpha1.AfterRestoreSqlSpec;
import io.pistack.operator.model.BackupPodBuilder.Script;
import io.pistack.operator.model.BackupSettings.RestoreRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The restore pod for a resolved request: it reads the backup where the request says (the source's bucket with this
 * namespace's credentials, or a claim of this namespace; else the stack's own target), checks the MANIFEST against
 * the PiBackup's recorded checksum, and, with spec.restore.afterRestoreSql, runs that SQL once after the restore
 * (restore.sh: RESTORE_AFTER_SQL; the file comes from the ConfigMap, mounted read-only, optional so that a missing
 * key is the script's clear failure, before the database is touched, rather than a pod that never starts).
 */
public final class RestorePods {
  public static final String AFTER_SQL_VOLUME = "after-restore-sql";
  public static final String AFTER_SQL_DIR = "/opt/pi-after-restore";
  public static final String AFTER_SQL_FILE = "after.sql";

  private RestorePods() {}

  /** The S3 target the restore fetches from, if any. */
  static Optional<S3Target> s3(BackupSettings settings, RestoreRequest request) {
    return request.from().map(RestoreSource::s3).orElseGet(settings::s3);
  }

  static PodTemplateSpec template(BackupSettings settings, RestoreRequest request, Map<String, String> labels,
      Map<String, String> env) {
    Map<String, String> all = new LinkedHashMap<>(env);
    request.from().flatMap(RestoreSource::manifestSha256).ifPresent(v -> all.put("RESTORE_MANIFEST_SHA256", v));
    Optional<AfterRestoreSqlSpec> sql = afterSql(settings);
    sql.ifPresent(q -> all.put("RESTORE_AFTER_SQL", AFTER_SQL_DIR + "/" + AFTER_SQL_FILE));
    PodTemplateSpec t = request.from().isEmpty() ? BackupPodBuilder.template(settings, Script.RESTORE, labels, all)
        : BackupPodBuilder.template(settings, Script.RESTORE, labels, all, request.from().get().s3(),
            request.from().get().claim().orElse(settings.claimName()));
    sql.ifPresent(q -> mountSql(t, q));
    return t;
  }

  static Optional<AfterRestoreSqlSpec> afterSql(BackupSettings settings) {
    var spec = settings.stack().source().getSpec();
    return spec == null || spec.restore == null ? Optional.empty() : Optional.ofNullable(spec.restore.afterRestoreSql);
  }

  private static void mountSql(PodTemplateSpec t, AfterRestoreSqlSpec q) {
    t.getSpec().getVolumes().add(new VolumeBuilder().withName(AFTER_SQL_VOLUME).withNewConfigMap()
        .withName(q.configMap).withOptional(true).addNewItem().withKey(q.key).withPath(AFTER_SQL_FILE).endItem()
        .endConfigMap().build());
    for (Container c : t.getSpec().getContainers()) {
      if (Script.RESTORE.container().equals(c.getName())) {
        c.getVolumeMounts().add(new VolumeMountBuilder().withName(AFTER_SQL_VOLUME).withMountPath(AFTER_SQL_DIR)
            .withReadOnly(true).build());
      }
    }
    // Only the restore container runs it; the fetch container never sees the SQL's path.
    if (t.getSpec().getInitContainers() != null) {
      t.getSpec().getInitContainers().forEach(c -> c.getEnv().removeIf(e -> e.getName().equals("RESTORE_AFTER_SQL")));
    }
  }

}
