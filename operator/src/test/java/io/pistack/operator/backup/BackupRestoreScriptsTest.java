package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real backup.sh / restore.sh (src/main/resources/io/pistack/operator/backup) with bash against a
 * throwaway MariaDB server that this test starts on loopback with real password authentication.
 *
 * <p>Needs the Debian packages mariadb-server and mariadb-client. If they are missing, the test fails
 * rather than skipping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupRestoreScriptsTest {

  private static final String SCHEMA = "dashboard";
  private static final String DB_USER = "pi";
  /** Shell and SQL metacharacters. This must never show up in argv, logs or files. */
  private static final String DB_PASSWORD = "Pi-s3cr3t p@ss;\"$(id)`x`'\\!";
  private static final String ROOT_PASSWORD = "root-" + Long.toHexString(new Random().nextLong());
  private static final List<String> IGNORED =
      List.of("mis_user_cat_access_view_pi", "test_user_access", "mis_user_cat_access_view");
  private static final List<String> SHARED_SUBDIRS =
      List.of("keys", "themes", "images", "svg", "custom_jdbc_drivers");
  private static final Pattern NAME_RE = Pattern.compile("([a-z0-9-]+)-(\\d{8}T\\d{6}Z)");
  private static final DateTimeFormatter NAME_TS = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String INSTALL_HINT = "install mariadb-server mariadb-client (apt-get)";

  private final Path scriptsDir = locateScriptsDir();
  private Path serverDir;
  private Process server;
  private int port;
  private Path socket;
  private Path client;
  private Path realDump;

  @TempDir Path tempRoot; // shared by all tests under PER_CLASS; each test gets its own subdirectory
  private Path work;
  private Path backupDir;
  private Path sharedDir;
  private Path termLog;
  private Path fakeBin;

  // ------------------------------------------------------------------------------------------------
  // server lifecycle

  @BeforeAll
  void startMariaDb() throws Exception {
    Optional<Path> installDb = findBinary("mariadb-install-db", "mysql_install_db");
    Optional<Path> mariadbd = findBinary("mariadbd", "mysqld");
    Optional<Path> cli = findBinary("mariadb", "mysql");
    Optional<Path> dump = findBinary("mariadb-dump", "mysqldump");
    if (installDb.isEmpty() || mariadbd.isEmpty() || cli.isEmpty() || dump.isEmpty()) {
      fail("MariaDB binaries not found (install-db=%s, server=%s, client=%s, dump=%s): %s",
          installDb.isPresent(), mariadbd.isPresent(), cli.isPresent(), dump.isPresent(), INSTALL_HINT);
    }
    client = cli.get();
    realDump = dump.get();
    serverDir = Files.createTempDirectory("pi-backup-test-mariadb-");
    Path dataDir = Files.createDirectory(serverDir.resolve("data"));
    socket = serverDir.resolve("mysqld.sock");
    port = freePort();
    boolean root = "root".equals(System.getProperty("user.name"));

    List<String> install = new ArrayList<>(List.of(installDb.get().toString(), "--no-defaults",
        "--datadir=" + dataDir, "--auth-root-authentication-method=normal", "--lower_case_table_names=1"));
    if (root) {
      install.add("--user=root");
    }
    Result inst = exec(install, Map.of(), null, Duration.ofSeconds(120));
    assertThat(inst.exitCode).as("mariadb-install-db failed:\n%s\n%s", inst.stdout, inst.stderr).isZero();

    List<String> cmd = new ArrayList<>(List.of(mariadbd.get().toString(), "--no-defaults",
        "--datadir=" + dataDir, "--socket=" + socket, "--port=" + port, "--bind-address=127.0.0.1",
        "--pid-file=" + serverDir.resolve("mysqld.pid"), "--log-error=" + serverDir.resolve("error.log"),
        "--tmpdir=" + serverDir, "--lower_case_table_names=1", "--log-bin-trust-function-creators=1",
        "--character-set-server=utf8mb4", "--collation-server=utf8mb4_unicode_ci", "--skip-name-resolve",
        "--sql-mode=NO_AUTO_VALUE_ON_ZERO,STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION",
        "--log-bin=" + serverDir.resolve("binlog"), "--server-id=1", "--innodb-buffer-pool-size=64M",
        // throwaway server: trade durability for speed
        "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0"));
    if (root) {
      cmd.add("--user=root");
    }
    server = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(serverDir.resolve("stdout.log").toFile()).start();

    // Wait until it accepts connections on the socket. The root password is still empty here.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (!server.isAlive()) {
        fail("mariadbd exited with %d:\n%s", server.exitValue(), readIfExists(serverDir.resolve("error.log")));
      }
      Result ping = exec(adminCommand(), Map.of(), "SELECT 1", Duration.ofSeconds(10));
      if (ping.exitCode == 0) {
        break;
      }
      if (System.nanoTime() > deadline) {
        fail("mariadbd did not accept connections within 60s:\n%s", readIfExists(serverDir.resolve("error.log")));
      }
      Thread.sleep(200);
    }
    // Turn on real authentication: root gets a password, the scripts use a password-protected TCP user,
    // and the anonymous accounts are removed.
    Result setup = exec(adminCommand(), Map.of(), String.join("\n",
        "DELETE FROM mysql.global_priv WHERE User = '';",
        "FLUSH PRIVILEGES;",
        "CREATE USER '" + DB_USER + "'@'%' IDENTIFIED BY '" + sqlEscape(DB_PASSWORD) + "';",
        "GRANT ALL PRIVILEGES ON *.* TO '" + DB_USER + "'@'%' WITH GRANT OPTION;",
        "ALTER USER 'root'@'localhost' IDENTIFIED BY '" + sqlEscape(ROOT_PASSWORD) + "';"), Duration.ofSeconds(30));
    assertThat(setup.exitCode).as("user setup failed: %s", setup.stderr).isZero();
    assertThat(exec(adminCommand(), Map.of(), "SELECT 1", Duration.ofSeconds(10)).exitCode)
        .as("root must now need its password").isNotZero();
  }

  @AfterAll
  void stopMariaDb() throws Exception {
    if (server != null) {
      server.destroy(); // SIGTERM: clean shutdown
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (serverDir != null) {
      deleteRecursively(serverDir);
    }
  }

  @BeforeEach
  void freshState() throws Exception {
    sql("DROP DATABASE IF EXISTS " + SCHEMA + "; DROP DATABASE IF EXISTS other;");
    work = Files.createTempDirectory(tempRoot, "case-");
    backupDir = Files.createDirectory(work.resolve("backups"));
    sharedDir = Files.createDirectory(work.resolve("shared"));
    termLog = work.resolve("termination-log");
    fakeBin = Files.createDirectory(work.resolve("fakebin"));
  }

  // ------------------------------------------------------------------------------------------------
  // scenarios

  @Test
  void backupThenRestoreRoundTripsDatabaseAndSharedFiles() throws Exception {
    seedDatabase();
    seedSharedFiles();
    Map<String, String> dbBefore = dbSnapshot();
    Map<String, String> filesBefore = tree(sharedDir);
    assertThat(sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='dashboard' AND TABLE_NAME IN "
        + ignoredSqlList())).as("the ignored objects exist before the backup").isEqualTo("3");

    // Put an argv-recording wrapper in front of the real dump client.
    Path argvLog = work.resolve("dump-argv.log");
    installFakeDump("argv-logging-dump.sh");
    Map<String, String> env = baseEnv(); // DB_SCHEMA, KEEP and BACKUP_PREFIX are left unset to use the defaults
    env.put("PATH", fakeBin + ":" + env.get("PATH"));
    env.put("ARGV_LOG", argvLog.toString());
    Instant started = Instant.now().minusSeconds(1);
    Result backup = runScript("backup.sh", env);
    assertThat(backup.exitCode).as("backup.sh failed: %s", backup.stderr).isZero();

    // JSON summary: exactly one line on stdout, the same line in the termination log.
    JsonNode summary = parseSingleJsonLine(backup.stdout);
    assertThat(readIfExists(termLog).trim()).isEqualTo(backup.stdout.trim());
    assertThat(fieldNames(summary)).containsExactly("name", "location", "sizeBytes", "completedAt", "manifestSha256");
    String name = summary.get("name").asText();
    Matcher m = NAME_RE.matcher(name);
    assertThat(m.matches()).as("name %s", name).isTrue();
    assertThat(m.group(1)).isEqualTo("scheduled");
    Instant nameTime = LocalDateTime.parse(m.group(2), NAME_TS).toInstant(ZoneOffset.UTC);
    assertThat(nameTime).isBetween(started, Instant.now().plusSeconds(1));
    Instant completedAt = Instant.parse(summary.get("completedAt").asText());
    assertThat(completedAt).isBetween(nameTime, Instant.now().plusSeconds(1));
    Path dir = backupDir.resolve(name);
    assertThat(summary.get("location").asText()).isEqualTo(dir.toString());

    // The final directory has exactly three files, and nothing incomplete is left.
    assertThat(listNames(dir)).containsExactlyInAnyOrder("MANIFEST", "db.sql.gz", "files.tar.gz");
    assertThat(listNames(backupDir)).containsExactlyInAnyOrder(name, ".lock");
    assertThat(summary.get("sizeBytes").asLong()).isEqualTo(
        Files.size(dir.resolve("MANIFEST")) + Files.size(dir.resolve("db.sql.gz")) + Files.size(dir.resolve("files.tar.gz")));
    assertThat(summary.get("manifestSha256").asText()).isEqualTo("sha256:" + java.util.HexFormat.of().formatHex(
        java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dir.resolve("MANIFEST")))));

    // MANIFEST
    Map<String, String> manifest = parseManifest(dir.resolve("MANIFEST"));
    assertThat(manifest).containsEntry("name", name).containsEntry("schema", SCHEMA).containsEntry("format", "1")
        .containsEntry("createdAt", nameTime.toString()).containsEntry("sharedDirs", String.join(" ", SHARED_SUBDIRS));
    assertThat(manifest.get("dumpTool")).containsIgnoringCase("Distrib");
    assertThat(manifest.get("server")).containsIgnoringCase("MariaDB");
    assertThat(manifest.get("gzip")).startsWith("gzip");
    assertThat(manifest.get("tar")).contains("tar");
    for (String f : List.of("db.sql.gz", "files.tar.gz")) {
      assertThat(manifest.get("file " + f)).isEqualTo(Files.size(dir.resolve(f)) + " sha256:" + sha256(dir.resolve(f)));
    }

    // The dump is complete, uses DROP/CREATE DATABASE, holds the trigger, routines and view, and leaves out the ignored objects.
    String dumpSql = gunzip(dir.resolve("db.sql.gz"));
    assertThat(dumpSql.strip()).matches("(?s).*\\n-- Dump completed[^\\n]*$");
    assertThat(dumpSql).containsIgnoringCase("TRIGGER recordTableInteraction AFTER INSERT ON mis_category");
    assertThat(dumpSql).contains("DROP DATABASE IF EXISTS `dashboard`", "CREATE DATABASE",
        "FUNCTION `category_path`", "PROCEDURE `count_active_users`", "v_active_users", "🚀");
    for (String ignored : IGNORED) {
      assertThat(dumpSql).doesNotContain(ignored);
    }
    assertThat(dumpSql).doesNotContain("ignored-object-row-marker");

    // files.tar.gz layout: paths relative to SHARED_DIR, only the five known directories.
    Result listing = exec(List.of("tar", "-tzf", dir.resolve("files.tar.gz").toString()), Map.of(), null, Duration.ofSeconds(30));
    assertThat(listing.exitCode).isZero();
    List<String> entries = listing.stdout.lines().toList();
    assertThat(entries).contains("keys/dashboard.key", "themes/pi-default/css/theme.css", "images/my logo (1).png",
        "svg/world.svg", "custom_jdbc_drivers/vendor-jdbc.jar");
    assertThat(entries).allMatch(e -> SHARED_SUBDIRS.contains(e.split("/")[0]), "only the shared subdirectories");

    // The password never reaches argv, output or the backup files.
    String argv = readIfExists(argvLog);
    assertThat(argv).contains("--single-transaction", "--routines", "--triggers", "--add-drop-table",
        "--add-drop-database", "--databases dashboard", "--ignore-table=dashboard.mis_user_cat_access_view_pi",
        "--ignore-table=dashboard.test_user_access", "--ignore-table=dashboard.mis_user_cat_access_view");
    assertNoPasswordIn(argv, backup.stdout, backup.stderr, readIfExists(termLog), readIfExists(dir.resolve("MANIFEST")), dumpSql);

    // Disaster: drop the database and lose the shared files. A stray file shows that restore replaces directory contents.
    sql("DROP DATABASE dashboard;");
    for (String d : SHARED_SUBDIRS) {
      deleteRecursively(sharedDir.resolve(d));
    }
    Files.createDirectories(sharedDir.resolve("themes"));
    Files.writeString(sharedDir.resolve("themes/stray-after-backup.css"), "body{}");

    Map<String, String> renv = baseEnv();
    renv.put("RESTORE_BACKUP", name);
    Result restore = runScript("restore.sh", renv);
    assertThat(restore.exitCode).as("restore.sh failed: %s", restore.stderr).isZero();
    JsonNode rsum = parseSingleJsonLine(restore.stdout);
    assertThat(readIfExists(termLog).trim()).isEqualTo(restore.stdout.trim());
    assertThat(rsum.get("name").asText()).isEqualTo(name);
    assertThat(rsum.get("location").asText()).isEqualTo(dir.toString());
    assertThat(rsum.get("schema").asText()).isEqualTo(SCHEMA);
    assertThat(rsum.get("forced").asBoolean()).isFalse();
    assertThat(rsum.get("tables").asInt()).isEqualTo(5); // 4 tables + 1 view
    assertThat(Instant.parse(rsum.get("completedAt").asText())).isNotNull();
    assertNoPasswordIn(restore.stdout, restore.stderr);

    // Every table's rows and DDL, the views, triggers, routines and schema collation are identical.
    assertThat(dbSnapshot()).isEqualTo(dbBefore);
    assertThat(sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='dashboard' AND TABLE_NAME IN "
        + ignoredSqlList())).as("ignored objects are not restored").isEqualTo("0");
    // The trigger and routines work again.
    String interactions = "SELECT interaction_count FROM dashboard.mis_last_table_interactions WHERE table_name='mis_category'";
    assertThat(sql(interactions)).isEqualTo("4");
    sql("INSERT INTO dashboard.mis_category (category_id, name, parent_id) VALUES (5, 'London', 3);");
    assertThat(sql(interactions)).as("trigger fired").isEqualTo("5");
    assertThat(sql("SELECT dashboard.category_path(5)")).isEqualTo("Sales > EMEA > UK > London");
    assertThat(sql("CALL dashboard.count_active_users(@n); SELECT @n;")).isEqualTo("2");
    // The shared files are back byte for byte with their permissions, and the stray file is gone.
    assertThat(tree(sharedDir)).isEqualTo(filesBefore);
  }

  @Test
  void restoreRefusesNonEmptyDatabaseUnlessForced() throws Exception {
    seedDatabase();
    seedSharedFiles();
    Map<String, String> original = dbSnapshot();
    Map<String, String> originalFiles = tree(sharedDir);
    String name = backupOk(baseEnv());

    sql("INSERT INTO dashboard.mis_user (user_id, username, created_at) VALUES (3, 'eve', NOW());"
        + "CREATE TABLE dashboard.added_later (id INT PRIMARY KEY);");
    Files.writeString(sharedDir.resolve("keys/dashboard.key"), "rotated key");
    Map<String, String> modified = dbSnapshot();
    Map<String, String> modifiedFiles = tree(sharedDir);
    assertThat(modified).isNotEqualTo(original);
    String tables = sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='dashboard'");

    Map<String, String> env = baseEnv();
    env.put("RESTORE_BACKUP", name);
    Result refused = runScript("restore.sh", env);
    assertThat(refused.exitCode).isEqualTo(3);
    assertThat(refused.stdout).isEmpty();
    assertThat(refused.stderr).contains("database dashboard is not empty (" + tables + " tables); set force to overwrite");
    JsonNode err = JSON.readTree(readIfExists(termLog));
    assertThat(err.get("exitCode").asInt()).isEqualTo(3);
    assertThat(err.get("error").asText()).contains("not empty");
    assertThat(dbSnapshot()).as("database untouched").isEqualTo(modified);
    assertThat(tree(sharedDir)).as("files untouched").isEqualTo(modifiedFiles);

    env.put("RESTORE_FORCE", "true");
    Result forced = runScript("restore.sh", env);
    assertThat(forced.exitCode).as(forced.stderr).isZero();
    assertThat(parseSingleJsonLine(forced.stdout).get("forced").asBoolean()).isTrue();
    assertThat(dbSnapshot()).isEqualTo(original);
    assertThat(tree(sharedDir)).isEqualTo(originalFiles);
  }

  @Test
  void retentionKeepsNewestBackupsPerPrefixAndLatestSpansPrefixes() throws Exception {
    seedDatabase();
    seedSharedFiles();
    Map<String, String> env = baseEnv();
    env.put("KEEP", "2");

    backupOk(withOverrides(env, "pre-upgrade", "20240101T000000Z"));
    List<String> scheduled = List.of("20240102T010000Z", "20240103T010000Z", "20240104T010000Z", "20240105T010000Z");
    for (int i = 0; i < scheduled.size(); i++) {
      if (i == scheduled.size() - 1) {
        // A leftover of a killed run. The next run removes it.
        Files.createDirectories(backupDir.resolve(".incomplete-scheduled-20240104T020000Z"));
        Files.writeString(backupDir.resolve(".incomplete-scheduled-20240104T020000Z/db.sql.gz"), "partial");
      }
      backupOk(withOverrides(env, null, scheduled.get(i)));
      List<String> expected = new ArrayList<>(scheduled.subList(Math.max(0, i - 1), i + 1).stream()
          .map(t -> "scheduled-" + t).toList());
      expected.add("pre-upgrade-20240101T000000Z"); // other prefix: never evicted by scheduled backups
      assertThat(completeBackups()).as("after scheduled backup #%d", i + 1).containsExactlyInAnyOrderElementsOf(expected);
    }
    assertThat(listNames(backupDir)).noneMatch(n -> n.startsWith(".incomplete-"));

    backupOk(withOverrides(env, "pre-upgrade", "20240106T000000Z"));
    backupOk(withOverrides(env, "pre-upgrade", "20240107T000000Z"));
    assertThat(completeBackups()).containsExactlyInAnyOrder("scheduled-20240104T010000Z", "scheduled-20240105T010000Z",
        "pre-upgrade-20240106T000000Z", "pre-upgrade-20240107T000000Z");

    // A prefix that is a prefix of another ("pre" and "pre-upgrade") must not prune the other's backups.
    Map<String, String> keepOne = new LinkedHashMap<>(env);
    keepOne.put("KEEP", "1");
    backupOk(withOverrides(keepOne, "pre", "20240101T120000Z"));
    backupOk(withOverrides(keepOne, "pre", "20240101T130000Z"));
    assertThat(completeBackups()).containsExactlyInAnyOrder("scheduled-20240104T010000Z", "scheduled-20240105T010000Z",
        "pre-upgrade-20240106T000000Z", "pre-upgrade-20240107T000000Z", "pre-20240101T130000Z");

    // "latest" means the newest complete backup of any prefix. A newer directory without a MANIFEST does not count.
    Files.createDirectories(backupDir.resolve("scheduled-20991231T235959Z"));
    Map<String, String> renv = baseEnv();
    renv.put("RESTORE_BACKUP", "latest");
    renv.put("RESTORE_FORCE", "true");
    Result r = runScript("restore.sh", renv);
    assertThat(r.exitCode).as(r.stderr).isZero();
    assertThat(parseSingleJsonLine(r.stdout).get("name").asText()).isEqualTo("pre-upgrade-20240107T000000Z");
  }

  @Test
  void interruptedOrBrokenDumpNeverPublishesABackup() throws Exception {
    seedDatabase();
    seedSharedFiles();
    Map<String, String> snapshot = dbSnapshot();
    String good = backupOk(withOverrides(baseEnv(), null, "20240301T000000Z"));

    // 1. The dump client is SIGKILLed partway (exit 137).
    installFakeDump("killed-dump.sh");
    Map<String, String> env = withOverrides(baseEnv(), null, "20240302T000000Z");
    env.put("PATH", fakeBin + ":" + env.get("PATH"));
    Result killed = runScript("backup.sh", env);
    assertThat(killed.exitCode).isNotZero();
    assertThat(killed.stdout).isEmpty();
    assertThat(killed.stderr).contains("database dump failed").contains("137");
    assertThat(JSON.readTree(readIfExists(termLog)).get("exitCode").asInt()).isEqualTo(killed.exitCode);
    assertThat(listNames(backupDir)).containsExactlyInAnyOrder(good, ".lock");

    // 2. The dump "succeeds" but is truncated: no "-- Dump completed" trailer.
    installFakeDump("truncated-dump.sh");
    env.put("BACKUP_TIMESTAMP_OVERRIDE", "20240303T000000Z");
    Result truncated = runScript("backup.sh", env);
    assertThat(truncated.exitCode).isNotZero();
    assertThat(truncated.stderr).contains("Dump completed");
    assertThat(listNames(backupDir)).containsExactlyInAnyOrder(good, ".lock");

    // 3. The whole backup process tree is SIGKILLed mid-dump (pod killed): a stale .incomplete dir, no final dir.
    installFakeDump("hanging-dump.sh");
    Path marker = work.resolve("hang-marker");
    env.put("HANG_MARKER", marker.toString());
    env.put("BACKUP_TIMESTAMP_OVERRIDE", "20240304T000000Z");
    Process p = startScript("backup.sh", env);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(marker)) {
        assertThat(p.isAlive()).as("backup.sh should hang in the fake dump").isTrue();
        assertThat(System.nanoTime()).as("fake dump did not start").isLessThan(deadline);
        Thread.sleep(50);
      }
    } finally {
      killTree(p);
    }
    assertThat(p.exitValue()).isNotZero();
    assertThat(backupDir.resolve(".incomplete-scheduled-20240304T000000Z/db.sql.gz")).exists();
    assertThat(backupDir.resolve("scheduled-20240304T000000Z")).doesNotExist();
    assertThat(completeBackups()).containsExactly(good);

    // "latest" still resolves to the last good backup, and that backup restores correctly.
    sql("DROP DATABASE dashboard;");
    Map<String, String> renv = baseEnv();
    renv.put("RESTORE_BACKUP", "latest");
    Result r = runScript("restore.sh", renv);
    assertThat(r.exitCode).as(r.stderr).isZero();
    assertThat(parseSingleJsonLine(r.stdout).get("name").asText()).isEqualTo(good);
    assertThat(dbSnapshot()).isEqualTo(snapshot);

    // The next good run removes the stale work directory.
    String next = backupOk(withOverrides(baseEnv(), null, "20240305T000000Z"));
    assertThat(listNames(backupDir)).containsExactlyInAnyOrder(good, next, ".lock");
  }

  @Test
  void restoreRejectsBadInputAndCorruptBackupsBeforeTouchingAnything() throws Exception {
    seedDatabase();
    seedSharedFiles();
    String name = backupOk(baseEnv());
    Map<String, String> snapshot = dbSnapshot();

    assertRestoreFails(Map.of(), 2, "RESTORE_BACKUP is required");
    assertRestoreFails(Map.of("RESTORE_BACKUP", "../../etc"), 2, "invalid backup name");
    assertRestoreFails(Map.of("RESTORE_BACKUP", "scheduled-20000101T000000Z"), 2, "not found");
    assertRestoreFails(Map.of("RESTORE_BACKUP", name, "RESTORE_FORCE", "yes"), 2, "RESTORE_FORCE must be true or false");
    assertRestoreFails(Map.of("RESTORE_BACKUP", name, "RESTORE_FORCE", "true", "DB_SCHEMA", "other"), 2,
        "holds schema 'dashboard' but DB_SCHEMA is 'other'");
    assertRestoreFails(Map.of("RESTORE_BACKUP", name, "RESTORE_FORCE", "true", "DB_PASSWORD", "wrong"), 1, "cannot connect");

    // Flip one byte in files.tar.gz. A forced restore must stop at the checksum, before it touches the database.
    Path archive = backupDir.resolve(name).resolve("files.tar.gz");
    byte[] bytes = Files.readAllBytes(archive);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(archive, bytes);
    assertRestoreFails(Map.of("RESTORE_BACKUP", name, "RESTORE_FORCE", "true"), 2, "checksum mismatch for " + name + "/files.tar.gz");
    assertThat(dbSnapshot()).isEqualTo(snapshot);
    assertThat(sql("SELECT COUNT(*) FROM dashboard.test_user_access")).as("ignored table still there: not touched").isEqualTo("1");

    deleteRecursively(backupDir.resolve(name));
    assertRestoreFails(Map.of("RESTORE_BACKUP", "latest"), 2, "no complete backup found");
  }

  @Test
  void backupRejectsBadInputAndWrongCredentialsWithoutLeavingDirectories() throws Exception {
    seedDatabase();
    assertBackupFails(Map.of("KEEP", "0"), 2, "KEEP must be a positive integer");
    assertBackupFails(Map.of("BACKUP_PREFIX", "Nightly_1"), 2, "BACKUP_PREFIX");
    assertBackupFails(Map.of("DB_HOST", ""), 2, "DB_HOST is required");
    assertBackupFails(Map.of("BACKUP_DIR", work.resolve("missing").toString()), 2, "not a writable directory");
    assertBackupFails(Map.of("DB_PASSWORD", "wrong"), 1, "cannot connect to 127.0.0.1:" + port + " as pi");
    assertBackupFails(Map.of("DB_SCHEMA", "no_such_schema"), 1, "database dump failed");
    assertThat(listNames(backupDir)).containsOnly(".lock");
  }

  @Test
  void missingSharedDirYieldsValidEmptyFilesArchive() throws Exception {
    seedDatabase();
    Map<String, String> env = baseEnv();
    env.put("SHARED_DIR", work.resolve("not-mounted").toString());
    String name = backupOk(env);
    Path archive = backupDir.resolve(name).resolve("files.tar.gz");
    Result listing = exec(List.of("tar", "-tzf", archive.toString()), Map.of(), null, Duration.ofSeconds(30));
    assertThat(listing.exitCode).isZero();
    assertThat(listing.stdout).isEmpty();
    assertThat(parseManifest(backupDir.resolve(name).resolve("MANIFEST"))).containsEntry("sharedDirs", "");

    sql("DROP DATABASE dashboard;");
    env.put("RESTORE_BACKUP", name);
    Result r = runScript("restore.sh", env);
    assertThat(r.exitCode).as(r.stderr).isZero();
    assertThat(sql("SELECT COUNT(*) FROM dashboard.mis_audit_event")).isEqualTo("5000");
    assertThat(work.resolve("not-mounted")).doesNotExist();
  }

  // ------------------------------------------------------------------------------------------------
  // helpers: scripts

  private Map<String, String> baseEnv() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":" + client.getParent() + ":" + realDump.getParent());
    env.put("HOME", work.toString());
    env.put("LANG", "C.UTF-8");
    env.put("DB_HOST", "127.0.0.1");
    env.put("DB_PORT", Integer.toString(port));
    env.put("DB_USER", DB_USER);
    env.put("DB_PASSWORD", DB_PASSWORD);
    env.put("BACKUP_DIR", backupDir.toString());
    env.put("SHARED_DIR", sharedDir.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.put("LOCK_TIMEOUT", "20");
    return env;
  }

  private static Map<String, String> withOverrides(Map<String, String> base, String prefix, String timestamp) {
    Map<String, String> env = new LinkedHashMap<>(base);
    if (prefix != null) {
      env.put("BACKUP_PREFIX", prefix);
    }
    env.put("BACKUP_TIMESTAMP_OVERRIDE", timestamp);
    return env;
  }

  private String backupOk(Map<String, String> env) throws Exception {
    Result r = runScript("backup.sh", env);
    assertThat(r.exitCode).as("backup.sh failed: %s", r.stderr).isZero();
    String name = parseSingleJsonLine(r.stdout).get("name").asText();
    assertThat(backupDir.resolve(name).resolve("MANIFEST")).exists();
    return name;
  }

  @Test
  void theApplicationUserRestoresObjectsAnotherUserDefinedOnceTheDefinersAreStripped() throws Exception {
    seedDatabase();
    Map<String, String> original = dbSnapshot();
    String definer = sql("SELECT DISTINCT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='dashboard'");
    assertThat(definer).as("seeded by another user").isNotBlank().doesNotStartWith("pi_app@");
    String name = backupOk(baseEnv());
    sql(io.pistack.operator.model.DatabaseGrants.applicationUser("dashboard", "pi_app", "app-pw-1"));
    try {
      Map<String, String> env = baseEnv();
      env.put("DB_USER", "pi_app");
      env.put("DB_PASSWORD", "app-pw-1");
      env.put("RESTORE_BACKUP", name);
      env.put("RESTORE_FORCE", "true");
      // As the dump is: refused (the application user may not create objects defined by another user).
      Result asIs = runScript("restore.sh", env);
      assertThat(asIs.exitCode).as(asIs.stderr).isEqualTo(1);
      assertThat(asIs.stderr).contains("denied");
      env.put("RESTORE_STRIP_DEFINERS", "maybe");
      assertThat(runScript("restore.sh", env).exitCode).isEqualTo(2);
      env.put("RESTORE_STRIP_DEFINERS", "true");
      Result stripped = runScript("restore.sh", env);
      assertThat(stripped.exitCode).as(stripped.stderr).isZero();
      assertNoPasswordIn(stripped.stdout, stripped.stderr);
      // Everything as it was, each object now owned by the application user.
      Map<String, String> expected = new LinkedHashMap<>();
      original.forEach((k, v) -> expected.put(k, v.replace(definer, "pi_app@%")));
      assertThat(dbSnapshot()).isEqualTo(expected);
    } finally {
      sql("DROP USER IF EXISTS 'pi_app'@'%'");
    }
  }

  private void assertBackupFails(Map<String, String> overrides, int code, String message) throws Exception {
    Map<String, String> env = baseEnv();
    env.putAll(overrides);
    Files.deleteIfExists(termLog);
    Result r = runScript("backup.sh", env);
    assertThat(r.exitCode).as("exit code for %s; stderr: %s", overrides, r.stderr).isEqualTo(code);
    assertThat(r.stderr).contains(message);
    assertThat(r.stdout).isEmpty();
    assertThat(JSON.readTree(readIfExists(termLog)).get("exitCode").asInt()).isEqualTo(code);
    assertThat(completeBackups()).isEmpty();
    assertNoPasswordIn(r.stdout, r.stderr, readIfExists(termLog));
  }

  private void assertRestoreFails(Map<String, String> overrides, int code, String message) throws Exception {
    Map<String, String> env = baseEnv();
    env.putAll(overrides);
    Files.deleteIfExists(termLog);
    Result r = runScript("restore.sh", env);
    assertThat(r.exitCode).as("exit code for %s; stderr: %s", overrides, r.stderr).isEqualTo(code);
    assertThat(r.stderr).contains(message);
    assertThat(r.stdout).isEmpty();
    JsonNode err = JSON.readTree(readIfExists(termLog));
    assertThat(err.get("exitCode").asInt()).isEqualTo(code);
    assertThat(err.get("error").asText()).contains(message);
    assertNoPasswordIn(r.stdout, r.stderr, readIfExists(termLog));
  }

  private Result runScript(String script, Map<String, String> env) throws Exception {
    return exec(List.of("bash", scriptsDir.resolve(script).toString()), env, null, Duration.ofSeconds(120), true);
  }

  private Process startScript(String script, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("bash", scriptsDir.resolve(script).toString());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.environment().put("REAL_DUMP", realDump.toString());
    pb.redirectOutput(work.resolve(script + ".out").toFile()).redirectError(work.resolve(script + ".err").toFile());
    return pb.start();
  }

  private void installFakeDump(String resource) throws IOException {
    Path target = fakeBin.resolve(realDump.getFileName().toString());
    Files.writeString(target, resource(resource));
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
    // The fake scripts find the real client through REAL_DUMP, which is exported by every runScript call.
  }

  private List<String> completeBackups() throws IOException {
    try (Stream<Path> s = Files.list(backupDir)) {
      return s.filter(p -> Files.exists(p.resolve("MANIFEST"))).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static void killTree(Process p) throws Exception {
    List<ProcessHandle> descendants = p.descendants().toList(); // collect before the parent dies
    p.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    for (ProcessHandle d : descendants) {
      d.onExit().get(30, TimeUnit.SECONDS);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // helpers: database

  private List<String> adminCommand() {
    return List.of(client.toString(), "--no-defaults", "--protocol=socket", "--socket=" + socket, "--user=root",
        "--default-character-set=utf8mb4", "--batch", "--skip-column-names");
  }

  /** Runs SQL as root over the socket, independently of the scripts. Returns the trimmed output. */
  private String sql(String statements) throws Exception {
    Result r = exec(adminCommand(), Map.of("MYSQL_PWD", ROOT_PASSWORD), statements, Duration.ofSeconds(120), false, true);
    assertThat(r.exitCode).as("SQL failed: %s\n%s", statements, r.stderr).isZero();
    return r.stdout.strip();
  }

  private void seedDatabase() throws Exception {
    sql(resource("seed.sql"));
  }

  private static String ignoredSqlList() {
    return IGNORED.stream().map(t -> "'" + t + "'").collect(Collectors.joining(",", "(", ")"));
  }

  /** Everything that must survive a round trip, except the ignored objects. */
  private Map<String, String> dbSnapshot() throws Exception {
    String notIgnored = " NOT IN " + ignoredSqlList();
    Map<String, String> snap = new LinkedHashMap<>();
    snap.put("schema", sql("SELECT DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA "
        + "WHERE SCHEMA_NAME='dashboard'"));
    String objects = sql("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA='dashboard' "
        + "AND TABLE_NAME" + notIgnored + " ORDER BY TABLE_NAME");
    snap.put("objects", objects);
    for (String line : objects.lines().toList()) {
      String[] parts = line.split("\t");
      if (parts[1].equals("BASE TABLE")) {
        String t = "dashboard.`" + parts[0] + "`";
        snap.put("ddl " + parts[0], sql("SHOW CREATE TABLE " + t));
        snap.put("rows " + parts[0], sql("SELECT * FROM " + t + " ORDER BY 1"));
        snap.put("checksum " + parts[0], sql("CHECKSUM TABLE " + t + " EXTENDED"));
      }
    }
    snap.put("views", sql("SELECT TABLE_NAME, VIEW_DEFINITION, SECURITY_TYPE, DEFINER FROM information_schema.VIEWS "
        + "WHERE TABLE_SCHEMA='dashboard' AND TABLE_NAME" + notIgnored + " ORDER BY 1"));
    snap.put("triggers", sql("SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_TIMING, ACTION_STATEMENT, "
        + "DEFINER, SQL_MODE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA='dashboard' ORDER BY 1"));
    snap.put("routines", sql("SELECT ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, ROUTINE_DEFINITION, SQL_DATA_ACCESS, "
        + "SECURITY_TYPE, DEFINER, SQL_MODE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='dashboard' ORDER BY 1"));
    assertThat(snap.get("triggers")).as("seed has a trigger").containsIgnoringCase("recordTableInteraction");
    assertThat(snap.get("routines")).as("seed has routines").contains("category_path", "count_active_users");
    return snap;
  }

  // ------------------------------------------------------------------------------------------------
  // helpers: files

  private void seedSharedFiles() throws IOException {
    Random rnd = new Random(42);
    writeBytes("keys/dashboard.key", randomBytes(rnd, 2048), "rw-------");
    writeBytes("keys/scheduler.pub", randomBytes(rnd, 512), "rw-r--r--");
    writeBytes("themes/pi-default/css/theme.css", "body { color: #333; }\n".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
    writeBytes("themes/pi-default/theme.json", "{\"name\":\"Pi default ✓\"}".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
    writeBytes("images/my logo (1).png", randomBytes(rnd, 40_000), "rw-r--r--");
    Files.createDirectories(sharedDir.resolve("images/empty-folder"));
    writeBytes("svg/world.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes(StandardCharsets.UTF_8), "rw-r--r--");
    writeBytes("custom_jdbc_drivers/vendor-jdbc.jar", randomBytes(rnd, 150_000), "rw-r-----");
    // Not one of the five shared directories, so it is neither backed up nor touched by restore.
    writeBytes("tmp-cache/junk.bin", randomBytes(rnd, 100), "rw-r--r--");
  }

  private void writeBytes(String rel, byte[] content, String perms) throws IOException {
    Path p = sharedDir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.write(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(perms));
  }

  private static byte[] randomBytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  /** Relative path to "dir", or to "sha256 perms" for a regular file. */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(p -> !p.equals(root)).toList()) {
        String rel = root.relativize(p).toString();
        if (Files.isDirectory(p)) {
          out.put(rel, "dir");
        } else {
          Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
          out.put(rel, sha256(p) + " " + PosixFilePermissions.toString(perms));
        }
      }
    }
    return out;
  }

  private static List<String> listNames(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Map<String, String> parseManifest(Path manifest) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(manifest)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      int colon = line.indexOf(": ");
      String key = colon < 0 ? line.replaceAll(":$", "") : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 2);
      if (key.equals("file")) {
        String[] parts = value.split(" ", 2);
        out.put("file " + parts[0], parts[1]);
      } else {
        out.put(key, value);
      }
    }
    return out;
  }

  private static JsonNode parseSingleJsonLine(String stdout) throws IOException {
    List<String> lines = stdout.lines().toList();
    assertThat(lines).as("stdout must be exactly one JSON line").hasSize(1);
    return JSON.readTree(lines.get(0));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static void assertNoPasswordIn(String... texts) {
    for (String t : texts) {
      assertThat(t).doesNotContain(DB_PASSWORD).doesNotContain("Pi-s3cr3t");
    }
  }

  private static String gunzip(Path gz) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String sha256(Path p) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String readIfExists(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p) : "";
  }

  private static String resource(String name) {
    try (InputStream in = BackupRestoreScriptsTest.class.getResourceAsStream("/backup/" + name)) {
      if (in == null) {
        throw new IllegalStateException("test resource /backup/" + name + " not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------
  // helpers: processes and environment

  private record Result(int exitCode, String stdout, String stderr) {}

  private Result exec(List<String> cmd, Map<String, String> env, String stdin, Duration timeout) throws Exception {
    return exec(cmd, env, stdin, timeout, false);
  }

  /** Runs cmd. With cleanEnv, the child gets only env (plus REAL_DUMP), like a container would. */
  private Result exec(List<String> cmd, Map<String, String> env, String stdin, Duration timeout, boolean cleanEnv)
      throws Exception {
    return exec(cmd, env, stdin, timeout, cleanEnv, false);
  }

  private Result exec(List<String> cmd, Map<String, String> env, String stdin, Duration timeout, boolean cleanEnv,
      boolean binaryOutput) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (cleanEnv) {
      pb.environment().clear();
    } else {
      pb.environment().keySet().removeIf(k -> k.startsWith("MYSQL") || k.startsWith("DB_"));
    }
    pb.environment().putAll(env);
    if (realDump != null) {
      pb.environment().put("REAL_DUMP", realDump.toString());
    }
    Path out = Files.createTempFile("exec-", ".out");
    Path err = Files.createTempFile("exec-", ".err");
    try {
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null")) : ProcessBuilder.Redirect.PIPE);
      Process p = pb.start();
      if (stdin != null) {
        try (var os = p.getOutputStream()) {
          os.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        killTree(p);
        fail("timed out after %s: %s\nstderr: %s", timeout, cmd, Files.readString(err));
      }
      // ISO-8859-1 maps every byte to one char, so binary column data compares losslessly. Other output is decoded
      // as UTF-8, replacing malformed bytes.
      var cs = binaryOutput ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
      return new Result(p.exitValue(), new String(Files.readAllBytes(out), cs), new String(Files.readAllBytes(err), cs));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private static Optional<Path> findBinary(String... names) {
    List<String> dirs = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin", "/usr/local/mysql/bin"));
    for (String name : names) {
      for (String dir : dirs) {
        if (!dir.isEmpty()) {
          Path p = Paths.get(dir, name);
          if (Files.isRegularFile(p) && Files.isExecutable(p)) {
            return Optional.of(p);
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Path locateScriptsDir() {
    Path cwd = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    for (Path candidate : List.of(cwd.resolve("src/main/resources/io/pistack/operator/backup"),
        cwd.resolve("operator/src/main/resources/io/pistack/operator/backup"))) {
      if (Files.isRegularFile(candidate.resolve("backup.sh"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("backup.sh not found below " + cwd + " (run from the repo root or the operator module)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static String sqlEscape(String s) {
    return s.replace("\\", "\\\\").replace("'", "''");
  }
}
