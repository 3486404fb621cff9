package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.backup.LocalMariaDb.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A backup is data, never code: a dump that carries a mariadb client command (a shell escape, a file to source, a
 * tee or pager, LOAD DATA LOCAL of a file of the restore pod) is restored by the real restore.sh (and verify.sh) into
 * a real MariaDB on loopback. The command must not run: the restore stops at that line and says so. Each case first
 * shows the dump did reach the client (the row before the line is there), then that the command had no effect.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RestoreRunsNoClientCommandTest {
  private final Path scriptsDir = BackupS3ScriptsTest.locateScriptsDir();
  private LocalMariaDb db;

  @TempDir Path tempRoot;
  private Path backups;
  private Path shared;
  private Path termLog;
  private Path marker;
  private Path sourced;
  private Path teeFile;
  private Path podSecret;

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
    marker = work.resolve("marker-the-shell-ran");
    teeFile = work.resolve("tee-output");
    podSecret = work.resolve("pod-secret");
    Files.writeString(podSecret, "pod-secret-value-never-in-the-database\n");
    sourced = work.resolve("sourced.sql");
    Files.writeString(sourced, "\\! touch " + marker + "\nCREATE TABLE dashboard.sourced (id INT);\n");
  }

  static Stream<Arguments> clientCommands() {
    return Stream.of(
        Arguments.of("shell escape \\!", "\\! touch MARKER"),
        Arguments.of("shell escape after a statement", "SELECT 1; \\! touch MARKER"),
        Arguments.of("system", "system touch MARKER"),
        Arguments.of("source file \\.", "\\. SOURCED"),
        Arguments.of("source file", "source SOURCED"),
        Arguments.of("tee \\T", "\\T TEE"),
        Arguments.of("tee", "tee TEE"),
        Arguments.of("pager \\P", "\\P touch MARKER"),
        Arguments.of("pager", "pager touch MARKER"),
        Arguments.of("LOAD DATA LOCAL of a pod file", "LOAD DATA LOCAL INFILE 'SECRET' INTO TABLE loot (s);"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("clientCommands")
  void aClientCommandInTheDumpNeverRunsAndStopsTheRestore(String what, String line) throws Exception {
    String name = "scheduled-20261201T020000Z";
    HandMadeBackup.write(backups, name, dump(line));

    Exec.Result r = restore(name);

    assertThat(db.sql("SELECT name FROM dashboard.mis_user WHERE id = 1"))
        .as("the dump reached the client: the statements before the line ran").isEqualTo("before");
    assertThat(marker).as("%s: no shell command ran", what).doesNotExist();
    assertThat(teeFile).as("%s: no file was written", what).doesNotExist();
    assertThat(db.sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='dashboard'"
        + " AND TABLE_NAME='sourced'")).as("%s: no file was sourced", what).isEqualTo("0");
    assertThat(db.sql("SELECT COUNT(*) FROM dashboard.loot")).as("%s: no pod file was loaded", what).isEqualTo("0");
    assertThat(r.exitCode()).as("%s: the restore stops (stderr: %s)", what, r.stderr()).isEqualTo(1);
    assertThat(r.stderr()).contains("restore: ERROR: SQL restore of " + name);
    assertThat(db.sql("SELECT COUNT(*) FROM dashboard.mis_user WHERE id = 2")).as("nothing after the line ran")
        .isEqualTo("0");
  }

  @Test
  void aShellEscapeIsNamedInTheFailure() throws Exception {
    String name = "scheduled-20261201T020000Z";
    HandMadeBackup.write(backups, name, dump("\\! touch MARKER"));
    Exec.Result r = restore(name);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(marker).doesNotExist();
    assertThat(r.stderr()).contains("the dump contains a client command or LOAD DATA LOCAL (Unknown command '\\!')"
        + ", which a restore never runs");
    assertThat(Files.readString(termLog)).contains("which a restore never runs");
  }

  @Test
  void verificationRunsNoClientCommandEither() throws Exception {
    String name = "scheduled-20261201T020000Z";
    HandMadeBackup.write(backups, name, dump("\\! touch MARKER"));
    Path workDir = Files.createDirectory(tempRoot.resolve("verify-" + System.nanoTime()));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    env.put("BACKUP_DIR", backups.toString());
    env.put("WORK_DIR", workDir.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.put("VERIFY_BACKUP", name);
    Exec.Result r = Exec.run(List.of("bash", scriptsDir.resolve("verify.sh").toString()), env, null,
        Duration.ofSeconds(180), true);
    assertThat(r.stderr()).as("the throwaway server started and the restore ran").contains("restoring " + name);
    assertThat(marker).doesNotExist();
    assertThat(r.exitCode()).as(r.stderr()).isEqualTo(4);
    assertThat(r.stderr()).contains("backup " + name + " does not restore").contains("which a restore never runs");
  }

  // ------------------------------------------------------------------------------------------------

  /** A dump that does its work, then carries the line, then more work (which must not run). */
  private String dump(String line) {
    String l = line.replace("MARKER", marker.toString()).replace("SOURCED", sourced.toString())
        .replace("TEE", teeFile.toString()).replace("SECRET", podSecret.toString());
    return "CREATE DATABASE IF NOT EXISTS dashboard;\nUSE dashboard;\n"
        + "CREATE TABLE `mis_user` (id INT PRIMARY KEY, name VARCHAR(64));\n"
        + "CREATE TABLE `loot` (s TEXT);\n"
        + "INSERT INTO mis_user VALUES (1, 'before');\n"
        + l + "\n"
        + "INSERT INTO mis_user VALUES (2, 'after');\nSELECT 'some output';\n-- Dump completed\n";
  }

  private Exec.Result restore(String name) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(db.scriptEnv());
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("BACKUP_DIR", backups.toString());
    env.put("SHARED_DIR", shared.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.put("RESTORE_BACKUP", name);
    return Exec.run(List.of("bash", scriptsDir.resolve("restore.sh").toString()), env, null, Duration.ofSeconds(120),
        true);
  }
}
