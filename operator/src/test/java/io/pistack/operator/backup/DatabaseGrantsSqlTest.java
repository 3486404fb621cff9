package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.model.DatabaseGrants;
import java.time.Duration;
import java.util.ArrayList;
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
 * The grants of {@link DatabaseGrants} against a real MariaDB (the Debian server, as the backup script tests use):
 * the application user can build the dashboard's repository (tables, triggers, views, routines) in its schema and
 * nothing else; the backup user can dump it and write nothing; root cannot log in over TCP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DatabaseGrantsSqlTest {
  private static final String SCHEMA = "dashboard";
  private static final String APP = "pi_app";
  private static final String APP_PASSWORD = "app'pw\\x\"1";
  private static final String BACKUP = "pi_backup";
  private static final String BACKUP_PASSWORD = "bk-pw-2";

  private LocalMariaDb db;
  private LocalMariaDb.Exec.Result built;
  private LocalMariaDb.Exec.Result rootOverTcpBefore;

  @BeforeAll
  void start() throws Exception {
    db = LocalMariaDb.start("tcpadmin", "tcpadmin-pw");
    db.sql("CREATE DATABASE dashboard; CREATE DATABASE other; CREATE TABLE other.t (i INT); "
        + "INSERT INTO other.t VALUES (7);");
    // A stack created before this change: root reachable over TCP as root@'%' and only that (the official image,
    // MARIADB_ROOT_HOST defaulting to %, drops the loopback root accounts mariadb-install-db makes).
    db.sql("DROP USER IF EXISTS 'root'@'127.0.0.1', 'root'@'::1';"
        + " EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS ''root''@', QUOTE(@@hostname));");
    db.sql("CREATE USER 'root'@'%' IDENTIFIED BY '" + db.rootPassword + "'; GRANT ALL ON *.* TO 'root'@'%';");
    rootOverTcpBefore = asUser("root", db.rootPassword, null, "SELECT 1");
    // Twice: the statements are idempotent (an existing user is updated, not an error).
    for (int i = 0; i < 2; i++) {
      db.sql(DatabaseGrants.applicationUser(SCHEMA, APP, APP_PASSWORD));
      db.sql(DatabaseGrants.backupUser(SCHEMA, BACKUP, BACKUP_PASSWORD));
      db.sql(DatabaseGrants.rootOnlyFromLocalhost());
    }
    built = asUser(APP, APP_PASSWORD, SCHEMA, String.join("\n",
        "CREATE TABLE mis_t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(20), KEY k (v));",
        "CREATE TABLE mis_last (id INT PRIMARY KEY, at INT);",
        "CREATE TRIGGER recordTableInteraction AFTER INSERT ON mis_t FOR EACH ROW"
            + " REPLACE INTO mis_last VALUES (NEW.id, 1);",
        "CREATE VIEW v_t AS SELECT id, v FROM mis_t;",
        "CREATE DEFINER = CURRENT_USER VIEW v_t2 AS SELECT id FROM mis_t;",
        "CREATE PROCEDURE p_count() SELECT COUNT(*) FROM mis_t;",
        "CREATE FUNCTION f_one() RETURNS INT DETERMINISTIC RETURN 1;",
        "CREATE TEMPORARY TABLE tmp (i INT);",
        "ALTER TABLE mis_t ADD COLUMN w INT;",
        "INSERT INTO mis_t (v) VALUES ('a'), ('b');",
        "UPDATE mis_t SET w = 1;",
        "SELECT COUNT(*) FROM v_t;",
        "CALL p_count();",
        "SELECT COUNT(*) FROM mis_last;",
        "SHOW CREATE VIEW v_t;"));
  }

  @AfterAll
  void stop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @Test
  void applicationUserBuildsTheRepositoryInItsSchema() throws Exception {
    LocalMariaDb.Exec.Result r = built;
    assertThat(r.exitCode()).as("app user failed: %s", r.stderr()).isZero();
    assertThat(db.sql("SELECT COUNT(*) FROM dashboard.mis_last")).isEqualTo("2");
    assertThat(db.sql("SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_NAME='recordTableInteraction'"))
        .isEqualTo(APP + "@%");
  }

  @Test
  void applicationUserCannotReachOtherSchemasTheUserTableOrOtherDefiners() throws Exception {
    assertDenied(APP, APP_PASSWORD, "SELECT * FROM other.t");
    assertDenied(APP, APP_PASSWORD, "CREATE TABLE other.x (i INT)");
    assertDenied(APP, APP_PASSWORD, "CREATE DATABASE evil");
    assertDenied(APP, APP_PASSWORD, "SELECT * FROM mysql.user");
    assertDenied(APP, APP_PASSWORD, "SELECT * FROM mysql.global_priv");
    assertDenied(APP, APP_PASSWORD, "CREATE USER 'x'@'%' IDENTIFIED BY 'y'");
    assertDenied(APP, APP_PASSWORD, "GRANT SELECT ON dashboard.* TO 'pi_backup'@'%'");
    assertDenied(APP, APP_PASSWORD, "DROP DATABASE other");
    // The vendor dumps carry DEFINER=root@localhost: the app user may not create objects running as root.
    assertDenied(APP, APP_PASSWORD,
        "CREATE DEFINER = 'root'@'localhost' VIEW dashboard.v_root AS SELECT 1 AS one");
    assertDenied(APP, APP_PASSWORD, "SELECT 1 INTO OUTFILE '/tmp/pi-grants-test-out'");
  }

  @Test
  void backupUserDumpsTheSchemaWithRoutinesAndTriggersAndWritesNothing() throws Exception {
    assertThat(built.exitCode()).as("app user failed: %s", built.stderr()).isZero();
    // The same options as backup.sh.
    LocalMariaDb.Exec.Result dump = LocalMariaDb.Exec.run(List.of(db.dump.toString(), "--no-defaults",
        "--protocol=tcp", "--host=127.0.0.1", "--port=" + db.port, "--user=" + BACKUP, "--single-transaction",
        "--routines", "--triggers", "--add-drop-table", "--add-drop-database", "--hex-blob",
        "--default-character-set=utf8mb4", "--max-allowed-packet=1G", "--databases", SCHEMA),
        Map.of("MYSQL_PWD", BACKUP_PASSWORD), null, Duration.ofSeconds(60), false);
    assertThat(dump.exitCode()).as("dump failed: %s", dump.stderr()).isZero();
    assertThat(dump.stdout()).contains("CREATE TABLE `mis_t`", "recordTableInteraction", "VIEW `v_t`",
        "PROCEDURE `p_count`", "FUNCTION `f_one`", "-- Dump completed");
    assertDenied(BACKUP, BACKUP_PASSWORD, "INSERT INTO dashboard.mis_t (v) VALUES ('z')");
    assertDenied(BACKUP, BACKUP_PASSWORD, "DROP TABLE dashboard.mis_t");
    assertDenied(BACKUP, BACKUP_PASSWORD, "SELECT * FROM other.t");
    assertDenied(BACKUP, BACKUP_PASSWORD, "SELECT * FROM mysql.global_priv");
  }

  @Test
  @Order(Integer.MAX_VALUE) // it drops and re-creates the schema: last, so the other tests see the app user's work
  void restoreOfAVendorDumpWithRootDefinersLoadsAsTheApplicationUserOnceTheDefinersAreRewritten() throws Exception {
    assertThat(built.exitCode()).as("app user failed: %s", built.stderr()).isZero();
    // Objects as the vendor's SQL defines them: DEFINER=root@localhost.
    db.sql("CREATE DEFINER = 'root'@'localhost' VIEW dashboard.v_vendor AS SELECT id FROM dashboard.mis_t;"
        + " CREATE DEFINER = 'root'@'localhost' TRIGGER dashboard.trg_vendor BEFORE UPDATE ON dashboard.mis_last"
        + " FOR EACH ROW SET NEW.at = NEW.at;");
    LocalMariaDb.Exec.Result dump = LocalMariaDb.Exec.run(List.of(db.dump.toString(), "--no-defaults",
        "--protocol=tcp", "--host=127.0.0.1", "--port=" + db.port, "--user=" + BACKUP, "--single-transaction",
        "--routines", "--triggers", "--add-drop-table", "--add-drop-database", "--databases", SCHEMA),
        Map.of("MYSQL_PWD", BACKUP_PASSWORD), null, Duration.ofSeconds(60), false);
    assertThat(dump.exitCode()).as("dump failed: %s", dump.stderr()).isZero();
    assertThat(dump.stdout()).contains("DEFINER=`root`@`localhost`");
    // As it is: refused (the application user may not create objects running as root).
    LocalMariaDb.Exec.Result asIs = asUser(APP, APP_PASSWORD, null, dump.stdout());
    assertThat(asIs.exitCode()).isNotZero();
    assertThat(asIs.stderr()).contains("denied");
    // DEFINER clauses removed: loads, and every object is now owned by the application user.
    String rewritten = dump.stdout().replaceAll("DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*`", "");
    LocalMariaDb.Exec.Result restored = asUser(APP, APP_PASSWORD, null, rewritten);
    assertThat(restored.exitCode()).as("restore failed: %s", restored.stderr()).isZero();
    assertThat(db.sql("SELECT COUNT(*) FROM dashboard.mis_t")).isEqualTo("2");
    assertThat(db.sql("SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_NAME='v_vendor'"))
        .isEqualTo(APP + "@%");
    assertThat(db.sql("SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_NAME='trg_vendor'"))
        .isEqualTo(APP + "@%");
    assertThat(db.sql("SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA='dashboard'"))
        .isEqualTo("2");
  }

  @Test
  void rootOnlyFromLocalhostAndPasswordsAreWhatTheLastRunSet() throws Exception {
    assertThat(rootOverTcpBefore.exitCode()).as("root over TCP before: %s", rootOverTcpBefore.stderr()).isZero();
    // root@localhost exists and works over the socket (db.sql uses it) ...
    assertThat(db.sql("SELECT COUNT(*) FROM mysql.global_priv WHERE User='root' AND Host='localhost'"))
        .isEqualTo("1");
    // ... but no root account matches a TCP client, so root over TCP is refused even with its password.
    assertThat(db.sql("SELECT COUNT(*) FROM mysql.global_priv WHERE User='root' AND Host<>'localhost'"))
        .isEqualTo("0");
    LocalMariaDb.Exec.Result root = asUser("root", db.rootPassword, null, "SELECT 1");
    assertThat(root.exitCode()).isNotZero();
    assertThat(root.stderr()).contains("Access denied");
    // Re-running with a new password rotates it (old one refused, new one works).
    db.sql(DatabaseGrants.backupUser(SCHEMA, BACKUP, "rotated"));
    try {
      assertThat(asUser(BACKUP, BACKUP_PASSWORD, null, "SELECT 1").exitCode()).isNotZero();
      assertThat(asUser(BACKUP, "rotated", null, "SELECT 1").exitCode()).isZero();
    } finally {
      db.sql(DatabaseGrants.backupUser(SCHEMA, BACKUP, BACKUP_PASSWORD));
    }
  }

  private void assertDenied(String user, String password, String statement) throws Exception {
    LocalMariaDb.Exec.Result r = asUser(user, password, null, statement);
    assertThat(r.exitCode()).as("%s must be refused: %s", user, statement).isNotZero();
    assertThat(r.stderr()).as(statement).containsAnyOf("denied", "Access denied");
  }

  private LocalMariaDb.Exec.Result asUser(String user, String password, String schema, String sql) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(db.client.toString(), "--no-defaults", "--protocol=tcp",
        "--host=127.0.0.1", "--port=" + db.port, "--user=" + user, "--batch", "--skip-column-names"));
    if (schema != null) {
      cmd.add(schema);
    }
    return LocalMariaDb.Exec.run(cmd, Map.of("MYSQL_PWD", password), sql, Duration.ofSeconds(60), false);
  }
}
