package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <stack>-backup-scripts}: backup.sh, restore.sh, s3.sh and verify.sh, shipped inside the operator's jar, so
 * the Jobs run the scripts of the operator version that created them on a stock MariaDB image.
 */
public final class BackupConfigMapBuilder {
  static final String RESOURCE_DIR = "/io/pistack/operator/backup/";
  private static final String BACKUP = load(BackupSettings.BACKUP_SCRIPT);
  private static final String RESTORE = load(BackupSettings.RESTORE_SCRIPT);
  private static final String S3 = load(BackupSettings.S3_SCRIPT);
  private static final String VERIFY = load(BackupSettings.VERIFY_SCRIPT);

  private BackupConfigMapBuilder() {}

  public static ConfigMap scripts(ResolvedStack stack) {
    BackupSettings settings = BackupSettings.of(stack);
    Map<String, String> data = new LinkedHashMap<>();
    data.put(BackupSettings.BACKUP_SCRIPT, BACKUP);
    data.put(BackupSettings.RESTORE_SCRIPT, RESTORE);
    data.put(BackupSettings.S3_SCRIPT, S3);
    data.put(BackupSettings.VERIFY_SCRIPT, VERIFY);
    ConfigMap cm = new ConfigMap();
    cm.setMetadata(ChildMetadata.of(stack, settings.scriptsConfigMapName(), "backup"));
    cm.setData(data);
    return cm;
  }

  static String load(String name) {
    try (InputStream in = BackupConfigMapBuilder.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE_DIR + name + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
