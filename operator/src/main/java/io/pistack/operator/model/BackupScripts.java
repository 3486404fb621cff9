package io.pistack.operator.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * backup.sh, restore.sh, s3.sh and verify.sh, shipped inside the operator's jar and carried in the pod spec of every
 * Job that runs one ({@code bash -c <script> <path> [args]}), so the Jobs run the scripts of the operator version
 * that created them on a stock image, and no object of the namespace (a ConfigMap anyone with write access could
 * replace) decides what they run with the database and S3 credentials.
 */
public final class BackupScripts {
  static final String RESOURCE_DIR = "/io/pistack/operator/backup/";
  static final String BACKUP = load(BackupSettings.BACKUP_SCRIPT);
  static final String RESTORE = load(BackupSettings.RESTORE_SCRIPT);
  static final String S3 = load(BackupSettings.S3_SCRIPT);
  static final String VERIFY = load(BackupSettings.VERIFY_SCRIPT);
  /** verify.sh runs restore.sh from this variable's text. */
  static final String RESTORE_SCRIPT_ENV = "RESTORE_SCRIPT";

  private BackupScripts() {}

  /** The command running script {@code file} (its text, {@code $0} its usual path), with {@code args}. */
  static List<String> command(String file, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of("bash", "-c", text(file),
        BackupSettings.SCRIPTS_DIR + "/" + file));
    command.addAll(List.of(args));
    return command;
  }

  static String text(String file) {
    return switch (file) {
      case BackupSettings.BACKUP_SCRIPT -> BACKUP;
      case BackupSettings.RESTORE_SCRIPT -> RESTORE;
      case BackupSettings.S3_SCRIPT -> S3;
      case BackupSettings.VERIFY_SCRIPT -> VERIFY;
      default -> throw new IllegalArgumentException(file);
    };
  }

  static String load(String name) {
    try (InputStream in = BackupScripts.class.getResourceAsStream(RESOURCE_DIR + name)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE_DIR + name + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
