package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.model.DatabaseGrants;
import io.pistack.operator.model.DatabaseUserName;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The database pod's user step (db-users.sh, run by the MariaDB pod's sidecar) against a real MariaDB set up as a
 * stack created before the least-privilege users: root@'%' with the old generated password, and the dashboard's
 * schema with data and a routine defined by root. The step creates the application user with DatabaseGrants'
 * rights, drops the TCP root accounts, keeps the data, is idempotent, applies a changed password, creates whatever
 * user the Secret names, refuses root without changing anything, and never puts a password on a command line.
 * It also creates the read-only backup user: backup.sh run as that user dumps the routine root defined, and
 * fails loudly (exit 1, a termination message, no backup) when run before the step created the user; the backup
 * user can write nothing; the application user no longer reads mysql.proc (taken back from a stack migrated by
 * the previous release).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseUserStepSqlTest {
  private static final String SCHEMA = "dashboard";
  private static final String APP = "pi";
  private static final String APP_PASSWORD = "s3cr'et\\pw \"$(x)`y`";
  private static final String BACKUP = "pi_backup";
  private static final String BACKUP_PASSWORD = "b4ck'up\\pw \"$(z)`w`";

  private LocalMariaDb db;
  private Path script;
  private Path bin;
  private Path argvLog;

  @BeforeAll
  void start() throws Exception {
    db = LocalMariaDb.start("tcpadmin", "tcpadmin-pw");
    // A stack created before this change: root@'%' only (the official image with MARIADB_ROOT_HOST=%), data and a
    // routine the vendor's SQL defined as root.
    db.sql("DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1';"
        + " EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS ''root''@', QUOTE(@@hostname));"
        + " CREATE USER 'root'@'%' IDENTIFIED BY '" + db.rootPassword + "'; GRANT ALL ON *.* TO 'root'@'%';"
        + " CREATE DATABASE dashboard; CREATE TABLE dashboard.mis_t (id INT PRIMARY KEY, v VARCHAR(9));"
        + " INSERT INTO dashboard.mis_t VALUES (1, 'kept'), (2, 'kept');"
        + " CREATE DEFINER = 'root'@'localhost' PROCEDURE dashboard.p_vendor() SELECT COUNT(*) FROM dashboard.mis_t;");
    Path dir = Files.createDirectories(db.dir.resolve("step"));
    script = dir.resolve("db-users.sh");
    try (InputStream in = getClass().getResourceAsStream("/io/pistack/operator/database/db-users.sh")) {
      Files.write(script, in.readAllBytes());
    }
    // A client on PATH that logs its arguments, then runs the real one: what `ps` would show.
    bin = Files.createDirectories(dir.resolve("bin"));
    argvLog = dir.resolve("argv.log");
    Path wrapper = bin.resolve("mariadb");
    Files.writeString(wrapper, "#!/bin/sh\nprintf '%s\\n' \"$*\" >>'" + argvLog + "'\nexec '" + db.client + "' \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  void stop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @Test
  @Order(0)
  void aBackupBeforeTheStepCreatedTheBackupUserFailsLoudly() throws Exception {
    Path backups = Files.createDirectories(db.dir.resolve("backups-before"));
    LocalMariaDb.Exec.Result r = backupScript(backups);
    assertThat(r.exitCode()).as("backup.sh: %s", r.stderr()).isEqualTo(1);
    assertThat(r.stderr()).contains("cannot connect to 127.0.0.1:" + db.port + " as " + BACKUP);
    assertThat(Files.readString(backups.resolve("termination-log"))).contains("cannot connect", "\"exitCode\":1");
    try (var left = Files.list(backups)) {
      assertThat(left.map(f -> f.getFileName().toString())).as("no backup, complete or not")
          .containsExactlyInAnyOrder(".lock", "termination-log");
    }
    assertThat(r.stdout() + r.stderr()).doesNotContain(BACKUP_PASSWORD);
  }

  @Test
  @Order(1)
  void createsTheApplicationUserDropsTcpRootAndKeepsTheData() throws Exception {
    assertThat(asUser("root", db.rootPassword, "SELECT 1").exitCode()).as("root over TCP before").isZero();
    LocalMariaDb.Exec.Result r = step(APP, APP_PASSWORD);
    assertThat(r.exitCode()).as("step failed: %s", r.stderr()).isZero();
    assertThat(r.stdout()).contains("application user ready");
    assertThat(r.stdout() + r.stderr()).doesNotContain(APP_PASSWORD).doesNotContain(db.rootPassword);
    assertThat(Files.exists(ready())).isTrue();
    // The application user works over TCP, in its schema, with the data as it was.
    LocalMariaDb.Exec.Result app = asUser(APP, APP_PASSWORD,
        "SELECT COUNT(*) FROM dashboard.mis_t WHERE v = 'kept'; CREATE TABLE dashboard.mis_new (i INT);"
            + " CALL dashboard.p_vendor();");
    assertThat(app.exitCode()).as("app user: %s", app.stderr()).isZero();
    assertThat(app.stdout()).startsWith("2");
    // Exactly DatabaseGrants' rights: nothing global, nothing on another schema or mysql.* (mysql.proc included:
    // the backups run as the backup user).
    String grants = db.sql("SHOW GRANTS FOR '" + APP + "'@'%'");
    assertThat(grants).contains("GRANT USAGE ON *.*", "ON `dashboard`.*")
        .doesNotContain("ALL PRIVILEGES", "SUPER", "WITH GRANT OPTION", "`mysql`");
    for (String p : DatabaseGrants.APP_PRIVILEGES) {
      assertThat(grants).contains(p);
    }
    assertThat(asUser(APP, APP_PASSWORD, "SELECT * FROM mysql.global_priv").exitCode()).isNotZero();
    // root: only over the socket.
    assertThat(db.sql("SELECT COUNT(*) FROM mysql.global_priv WHERE User='root' AND Host<>'localhost'")).isEqualTo("0");
    LocalMariaDb.Exec.Result root = asUser("root", db.rootPassword, "SELECT 1");
    assertThat(root.exitCode()).isNotZero();
    assertThat(root.stderr()).contains("Access denied");
  }

  @Test
  @Order(2)
  void theBackupUserHasExactlyTheDecidedRights() throws Exception {
    List<String> grants = List.of(db.sql("SHOW GRANTS FOR '" + BACKUP + "'@'%'").split("\n"));
    assertThat(grants).hasSize(3);
    assertThat(grants.get(0)).startsWith("GRANT USAGE ON *.* TO `" + BACKUP + "`@`%` IDENTIFIED BY PASSWORD");
    assertThat(grants).contains("GRANT SELECT ON `mysql`.`proc` TO `" + BACKUP + "`@`%`");
    String onSchema = grants.stream().filter(g -> g.contains(" ON `dashboard`.* ")).findFirst().orElseThrow();
    assertThat(List.of(onSchema.replaceFirst("^GRANT (.*) ON `dashboard`.*$", "$1").split(", ")))
        .containsExactlyInAnyOrderElementsOf(DatabaseGrants.BACKUP_PRIVILEGES);
  }

  @Test
  @Order(2)
  void backupShAsTheBackupUserIncludesRoutinesOfOtherDefiners() throws Exception {
    Path backups = Files.createDirectories(db.dir.resolve("backups"));
    LocalMariaDb.Exec.Result r = backupScript(backups);
    assertThat(r.exitCode()).as("backup.sh: %s", r.stderr()).isZero();
    assertThat(r.stdout() + r.stderr()).doesNotContain(BACKUP_PASSWORD);
    Path gz;
    try (var made = Files.list(backups)) {
      gz = made.filter(f -> f.getFileName().toString().startsWith("scheduled-")).findFirst().orElseThrow()
          .resolve("db.sql.gz");
    }
    String sql;
    try (InputStream in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(sql).contains("CREATE DEFINER=`root`@`localhost` PROCEDURE `p_vendor`", "INSERT INTO `mis_t`", "-- Dump completed");
    // The application user lost mysql.proc: its dump cannot include the routine (why the backup user has it).
    LocalMariaDb.Exec.Result app = LocalMariaDb.Exec.run(List.of(db.dump.toString(), "--no-defaults",
        "--protocol=tcp", "--host=127.0.0.1", "--port=" + db.port, "--user=" + APP, "--single-transaction",
        "--routines", "--triggers", "--databases", SCHEMA),
        Map.of("MYSQL_PWD", APP_PASSWORD), null, Duration.ofSeconds(60), false);
    // (mariadb-dump 10.11.19 stops with exit 2; other builds leave it out with only a comment.)
    assertThat(app.stdout()).contains("Dumping routines").doesNotContain("CREATE DEFINER");
    assertThat(app.stdout() + app.stderr()).contains("insufficient privileges to SHOW CREATE PROCEDURE `p_vendor`");
  }

  @Test
  @Order(2)
  void theBackupUserCanWriteNothing() throws Exception {
    for (String write : List.of("INSERT INTO dashboard.mis_t VALUES (9, 'no')", "UPDATE dashboard.mis_t SET v = 'no'",
        "DELETE FROM dashboard.mis_t", "CREATE TABLE dashboard.b_new (i INT)", "DROP TABLE dashboard.mis_t",
        "ALTER TABLE dashboard.mis_t ADD COLUMN x INT", "TRUNCATE TABLE dashboard.mis_t",
        "CREATE VIEW dashboard.b_v AS SELECT 1", "CREATE PROCEDURE dashboard.b_p() SELECT 1",
        "DROP PROCEDURE dashboard.p_vendor", "CREATE DATABASE b_other", "DROP DATABASE dashboard",
        "CREATE USER 'b_x'@'%'", "GRANT SELECT ON dashboard.* TO '" + APP + "'@'%'",
        "UPDATE mysql.proc SET comment = 'no'", "SELECT * FROM dashboard.mis_t INTO OUTFILE '/tmp/pi-backup-user-out'",
        "SELECT * FROM mysql.global_priv")) {
      LocalMariaDb.Exec.Result r = asUser(BACKUP, BACKUP_PASSWORD, write);
      assertThat(r.exitCode()).as("refused: %s", write).isNotZero();
      assertThat(r.stderr()).as(write).containsIgnoringCase("denied");
    }
    assertThat(db.sql("SELECT COUNT(*) FROM dashboard.mis_t")).isEqualTo("2");
    assertThat(asUser(BACKUP, BACKUP_PASSWORD, "SELECT COUNT(*) FROM dashboard.mis_t").stdout().strip()).isEqualTo("2");
  }

  @Test
  @Order(3)
  void idempotentAndAChangedPasswordReplacesTheOldOne() throws Exception {
    assertThat(step(APP, APP_PASSWORD).exitCode()).isZero();
    assertThat(asUser(APP, APP_PASSWORD, "SELECT 1").exitCode()).isZero();
    String before = db.sql("SHOW GRANTS FOR '" + APP + "'@'%'");
    LocalMariaDb.Exec.Result rotated = step(APP, "rotated-2");
    assertThat(rotated.exitCode()).as("rotation: %s", rotated.stderr()).isZero();
    assertThat(asUser(APP, APP_PASSWORD, "SELECT 1").exitCode()).isNotZero();
    assertThat(asUser(APP, "rotated-2", "SELECT 1").exitCode()).isZero();
    assertThat(db.sql("SHOW GRANTS FOR '" + APP + "'@'%'").replaceAll("PASSWORD '[^']*'", ""))
        .isEqualTo(before.replaceAll("PASSWORD '[^']*'", ""));
    assertThat(db.sql("SELECT COUNT(*) FROM mysql.global_priv WHERE User='" + APP + "'")).isEqualTo("1");
    assertThat(db.sql("SELECT COUNT(*) FROM dashboard.mis_t")).isEqualTo("2");
  }

  @Test
  @Order(4)
  void anyUserNameOfTheSafeSetTheSecretGives() throws Exception {
    String odd = "analytics-o.neil_2";
    LocalMariaDb.Exec.Result r = step(odd, "pw-odd");
    assertThat(r.exitCode()).as("step: %s", r.stderr()).isZero();
    LocalMariaDb.Exec.Result app = asUser(odd, "pw-odd", "SELECT COUNT(*) FROM dashboard.mis_t");
    assertThat(app.exitCode()).as("odd user: %s", app.stderr()).isZero();
    assertThat(app.stdout().strip()).isEqualTo("2");
  }

  @Test
  @Order(5)
  void rootIsRefusedAndNothingChanges() throws Exception {
    String users = db.sql("SELECT User, Host FROM mysql.global_priv ORDER BY User, Host");
    LocalMariaDb.Exec.Result r = step("root", "whatever");
    assertThat(r.exitCode()).isZero();
    assertThat(r.stderr()).contains("names root");
    assertThat(Files.exists(ready())).as("the pod stays ready: a stack that ran as root keeps running").isTrue();
    assertThat(db.sql("SELECT User, Host FROM mysql.global_priv ORDER BY User, Host")).isEqualTo(users);
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"", "analytics-o'neil", "app user", "mysql", "PUBLIC",
      "mariadb.sys", "abcdefghijklmnopqrstuvwxyz0123456", "app%", "app\nroot"})
  @Order(5)
  void aUserNameOutsideTheSafeSetIsRefusedAndNothingChanges(String name) throws Exception {
    // "" would be MariaDB's anonymous account: any user name would log in with the schema's rights.
    String users = db.sql("SELECT User, Host FROM mysql.global_priv ORDER BY User, Host");
    LocalMariaDb.Exec.Result r = step(name, "whatever-pw");
    assertThat(r.exitCode()).as("step: %s", r.stderr()).isZero();
    assertThat(r.stderr()).contains("not one the embedded database creates").doesNotContain("whatever-pw");
    assertThat(Files.exists(ready())).as("the pod stays ready: the stack keeps running as it was").isTrue();
    assertThat(db.sql("SELECT User, Host FROM mysql.global_priv ORDER BY User, Host")).isEqualTo(users);
    assertThat(db.sql("SELECT COUNT(*) FROM mysql.global_priv WHERE User=''")).as("no anonymous account").isEqualTo("0");
  }

  @Test
  @Order(6)
  void aWrongRootPasswordFailsWithoutShowingAPassword() throws Exception {
    Map<String, String> env = env(APP, APP_PASSWORD);
    env.put("MARIADB_ROOT_PASSWORD", "not-root's");
    env.put("PI_DB_ATTEMPTS", "1");
    LocalMariaDb.Exec.Result r = LocalMariaDb.Exec.run(List.of("sh", script.toString()), env, null,
        Duration.ofSeconds(60), true);
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.stderr()).contains("failed after 1 attempts", "Access denied").doesNotContain("not-root's")
        .doesNotContain(APP_PASSWORD);
    assertThat(Files.exists(ready())).isFalse();
  }

  @Test
  @Order(7)
  void noPasswordOnAnyCommandLine() throws Exception {
    String argv = Files.readString(argvLog, StandardCharsets.UTF_8);
    assertThat(argv).as("the client ran").contains("--protocol=socket");
    assertThat(argv).doesNotContain(APP_PASSWORD).doesNotContain(db.rootPassword).doesNotContain("rotated-2")
        .doesNotContain("pw-odd").doesNotContain(BACKUP_PASSWORD);
  }

  @Test
  @Order(8)
  void aStackMigratedByThePreviousReleaseLosesMysqlProc() throws Exception {
    // What the previous release's step granted the application user, since its backups dumped as that user.
    db.sql("GRANT SELECT ON mysql.proc TO '" + APP + "'@'%'");
    assertThat(db.sql("SHOW GRANTS FOR '" + APP + "'@'%'")).contains("`mysql`.`proc`");
    LocalMariaDb.Exec.Result r = step(APP, APP_PASSWORD);
    assertThat(r.exitCode()).as("step: %s", r.stderr()).isZero();
    assertThat(db.sql("SHOW GRANTS FOR '" + APP + "'@'%'")).contains("ON `dashboard`.*").doesNotContain("`mysql`");
    assertThat(db.sql("SHOW GRANTS FOR '" + BACKUP + "'@'%'")).contains("`mysql`.`proc`");
  }

  @Test
  @Order(9)
  void anApplicationUserNamedLikeTheBackupUserKeepsItsRights() throws Exception {
    LocalMariaDb.Exec.Result r = step(BACKUP, "app-named-backup");
    assertThat(r.exitCode()).as("step: %s", r.stderr()).isZero();
    assertThat(r.stderr()).contains("backup user not created");
    assertThat(asUser(BACKUP, "app-named-backup", "CREATE TABLE dashboard.named_backup (i INT)").exitCode())
        .as("the application user's password and rights, not the backup user's").isZero();
    assertThat(asUser(BACKUP, BACKUP_PASSWORD, "SELECT 1").exitCode()).isNotZero();
  }

  private Path ready() {
    return db.dir.resolve("step").resolve("ready");
  }

  private LocalMariaDb.Exec.Result step(String user, String password) throws Exception {
    return LocalMariaDb.Exec.run(List.of("sh", script.toString()), env(user, password), null,
        Duration.ofSeconds(120), true);
  }

  private Map<String, String> env(String user, String password) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", bin + ":/usr/bin:/bin");
    env.put("PI_DB_USER", user);
    env.put("PI_DB_PASSWORD", password);
    env.put("MARIADB_ROOT_PASSWORD", db.rootPassword);
    env.put("PI_DB_BACKUP_USER", BACKUP);
    env.put("PI_DB_BACKUP_PASSWORD", BACKUP_PASSWORD);
    env.put("PI_DB_USERS_SQL", DatabaseGrants.applicationUserStep(SCHEMA));
    env.put("PI_DB_BACKUP_SQL", DatabaseGrants.backupUserStep(SCHEMA));
    env.put("PI_DB_SOCKET", db.socket.toString());
    env.put("PI_DB_READY_FILE", ready().toString());
    env.put("PI_DB_STAY", "false");
    // As StatefulSetBuilder passes the rule.
    env.put("PI_DB_USER_CHARS", DatabaseUserName.CHARACTERS);
    env.put("PI_DB_USER_MAX", String.valueOf(DatabaseUserName.MAX_LENGTH));
    env.put("PI_DB_USER_RESERVED", String.join(" ", DatabaseUserName.RESERVED));
    return env;
  }

  /** The real backup.sh, as the backup Jobs of an embedded database run it: as the backup user. */
  private LocalMariaDb.Exec.Result backupScript(Path backups) throws Exception {
    Path shared = Files.createDirectories(backups.resolveSibling(backups.getFileName() + "-shared"));
    Path backupSh = db.dir.resolve("step").resolve("backup.sh");
    if (!Files.exists(backupSh)) {
      try (InputStream in = getClass().getResourceAsStream("/io/pistack/operator/backup/backup.sh")) {
        Files.write(backupSh, in.readAllBytes());
      }
    }
    Map<String, String> env = new HashMap<>();
    env.put("PATH", db.client.getParent() + ":" + db.dump.getParent() + ":/usr/bin:/bin");
    env.put("HOME", db.dir.toString());
    env.put("LANG", "C.UTF-8");
    env.put("DB_HOST", "127.0.0.1");
    env.put("DB_PORT", Integer.toString(db.port));
    env.put("DB_SCHEMA", SCHEMA);
    env.put("DB_USER", BACKUP);
    env.put("DB_PASSWORD", BACKUP_PASSWORD);
    env.put("BACKUP_DIR", backups.toString());
    env.put("SHARED_DIR", shared.toString());
    env.put("TERMINATION_LOG", backups.resolve("termination-log").toString());
    env.put("LOCK_TIMEOUT", "20");
    return LocalMariaDb.Exec.run(List.of("bash", backupSh.toString()), env, null, Duration.ofSeconds(120), true);
  }

  private LocalMariaDb.Exec.Result asUser(String user, String password, String sql) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(db.client.toString(), "--no-defaults", "--protocol=tcp",
        "--host=127.0.0.1", "--port=" + db.port, "--user=" + user, "--batch", "--skip-column-names"));
    return LocalMariaDb.Exec.run(cmd, Map.of("MYSQL_PWD", password), sql, Duration.ofSeconds(60), false);
  }
}
