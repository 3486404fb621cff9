package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.backup.LocalMariaDb.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * restore.sh's clone features against a real MariaDB on loopback: the SQL run once after the restore
 * (RESTORE_AFTER_SQL: it runs in the schema after the dump; its text never reaches the output, not even when it
 * fails; a missing file stops the restore before the database is touched), and the MANIFEST checked against the
 * checksum a PiBackup recorded (RESTORE_MANIFEST_SHA256: another MANIFEST under the same name restores nothing).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreAfterSqlTest {
  static final String NAME = "on-demand-20261207T020000Z";
  static final String SECRET_SQL_TEXT = "scrub-marker-never-logged";
  private final Path scriptsDir = BackupS3ScriptsTest.locateScriptsDir();
  private LocalMariaDb db;

  @TempDir Path tempRoot;
  private Path backups;
  private Path shared;
  private Path termLog;
  private Path sql;

  @BeforeAll
  void start() throws Exception {
    db = LocalMariaDb.start("pi", "Pi-s3cr3t p@ss;\"$(id)`x`'\\!");
  }

  @AfterAll
  void stop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @BeforeEach
  void fresh() throws Exception {
    db.sql("DROP DATABASE IF EXISTS dashboard;");
    Path work = Files.createTempDirectory(tempRoot, "case-");
    backups = Files.createDirectory(work.resolve("backups"));
    shared = Files.createDirectory(work.resolve("shared"));
    termLog = work.resolve("termination-log");
    sql = work.resolve("after.sql");
    HandMadeBackup.write(backups, NAME, "CREATE DATABASE IF NOT EXISTS dashboard;\nUSE dashboard;\n"
        + "CREATE TABLE `mis_user` (id INT PRIMARY KEY, email VARCHAR(64));\n"
        + "INSERT INTO mis_user VALUES (1, 'ceo@acme.example');\n-- Dump completed\n");
  }

  @Test
  void theSqlRunsOnceAfterTheRestoreInTheSchemaAndIsNeverPrinted() throws Exception {
    Files.writeString(sql, "-- " + SECRET_SQL_TEXT + "\nUPDATE mis_user SET email = CONCAT('user', id,"
        + " '@staging.invalid');\n");
    Exec.Result r = restore(Map.of("RESTORE_AFTER_SQL", sql.toString()));
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(db.sql("SELECT email FROM dashboard.mis_user WHERE id = 1")).isEqualTo("user1@staging.invalid");
    assertThat(Files.readString(termLog)).contains("\"afterRestoreSql\":true");
    assertThat(r.stdout() + r.stderr() + Files.readString(termLog)).doesNotContain(SECRET_SQL_TEXT);
  }

  @Test
  void aFailingSqlIsReportedByItsErrorNumberAndLineNeverItsText() throws Exception {
    Files.writeString(sql, "UPDATE mis_user SET email = 'x';\nUPDATE no_such_table_" + SECRET_SQL_TEXT.replace('-', '_')
        + " SET a = 1;\n");
    Exec.Result r = restore(Map.of("RESTORE_AFTER_SQL", sql.toString()));
    assertThat(r.exitCode()).isEqualTo(1);
    String message = Files.readString(termLog);
    assertThat(message).contains("the after-restore SQL failed (ERROR 1146 (42S02) at line 2); backup " + NAME
        + " was restored into dashboard");
    assertThat(r.stdout() + r.stderr() + message).doesNotContain(SECRET_SQL_TEXT.replace('-', '_'));
    assertThat(db.sql("SELECT email FROM dashboard.mis_user WHERE id = 1")).as("the statements before it ran")
        .isEqualTo("x");
  }

  @Test
  void aMissingSqlFileStopsTheRestoreBeforeTheDatabaseIsTouched() throws Exception {
    Exec.Result r = restore(Map.of("RESTORE_AFTER_SQL", sql.resolveSibling("absent.sql").toString()));
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(Files.readString(termLog)).contains("afterRestoreSql: the SQL file is missing");
    assertThat(db.sql("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'dashboard'"))
        .isEqualTo("0");
  }

  @Test
  void aManifestOtherThanThePiBackupsRecordedOneRestoresNothing() throws Exception {
    byte[] manifest = Files.readAllBytes(backups.resolve(NAME).resolve("MANIFEST"));
    String recorded = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest));
    Exec.Result other = restore(Map.of("RESTORE_MANIFEST_SHA256", "sha256:" + "0".repeat(64)));
    assertThat(other.exitCode()).isEqualTo(2);
    assertThat(Files.readString(termLog)).contains("is not the one its PiBackup recorded");
    assertThat(db.sql("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'dashboard'"))
        .isEqualTo("0");
    Exec.Result same = restore(Map.of("RESTORE_MANIFEST_SHA256", recorded));
    assertThat(same.exitCode()).as(same.stderr()).isZero();
  }

  private Exec.Result restore(Map<String, String> extra) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(db.scriptEnv());
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("BACKUP_DIR", backups.toString());
    env.put("SHARED_DIR", shared.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.put("RESTORE_BACKUP", NAME);
    env.putAll(extra);
    return Exec.run(List.of("bash", scriptsDir.resolve("restore.sh").toString()), env, null, Duration.ofSeconds(120),
        true);
  }
}
