package io.pistack.operator.model;

import java.util.List;

/**
 * The least-privilege users of the embedded database, as idempotent SQL run by something that holds the root
 * password (root connects only from localhost). One place decides what each user may do; docs/database-user.md
 * says why.
 *
 * <ul>
 *   <li>The application user (dashboard, scheduler) gets, on its own schema only, what the dashboard's
 *       repository needs: tables, indexes, views and triggers (the vendor's SQL defines both), stored routines and
 *       temporary tables. No global privilege: no SUPER / SET USER, so it cannot create objects with a
 *       {@code DEFINER} other than itself, no FILE, no PROCESS, no access to the {@code mysql} schema.</li>
 *   <li>The backup user gets what {@code mariadb-dump --single-transaction --routines --triggers} needs on the
 *       schema (read-only), plus read access to {@code mysql.proc} so routines can be dumped (MariaDB before 11.3
 *       has no SHOW CREATE ROUTINE privilege). It cannot write anything. The backup Jobs of an embedded database
 *       dump as this user; the application user does not read {@code mysql.proc}.</li>
 * </ul>
 *
 * The statements are idempotent: re-running them creates nothing twice, resets the password to the given one and
 * re-grants exactly the same rights. Passwords appear only in the returned SQL (fed to the client on stdin), never
 * in an argument, a log line or an exception message.
 */
public final class DatabaseGrants {
  /** On the application schema; nothing global. */
  public static final List<String> APP_PRIVILEGES = List.of("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE",
      "DROP", "ALTER", "INDEX", "REFERENCES", "CREATE TEMPORARY TABLES", "LOCK TABLES", "EXECUTE", "CREATE VIEW",
      "SHOW VIEW", "CREATE ROUTINE", "ALTER ROUTINE", "TRIGGER", "EVENT");
  /** On the application schema; read-only. */
  public static final List<String> BACKUP_PRIVILEGES = List.of("SELECT", "SHOW VIEW", "TRIGGER", "LOCK TABLES",
      "EVENT");

  private DatabaseGrants() {}

  /** SQL creating (or updating) the application user with rights on {@code schema} only. */
  public static String applicationUser(String schema, String user, String password) {
    return createUser(user, password)
        + "GRANT " + String.join(", ", APP_PRIVILEGES) + " ON " + identifier(schema) + ".* TO " + account(user)
        + ";\n";
  }

  /**
   * The database pod's application-user step (db-users.sh): the same statements as {@link #applicationUser} plus
   * {@link #rootOnlyFromLocalhost}, reading the user name and password from the session variables
   * {@code @pi_user} and {@code @pi_password} the script sets (from the credentials Secret, hex-encoded, so no
   * value is ever quoted by a shell). This text holds no secret: it goes into the sidecar's environment. It also
   * takes back the read of {@code mysql.proc} the application user had while the backups ran as it (stacks created
   * by the previous release): the backups now run as the backup user, and the dashboard only runs and replaces the
   * routines of its schema, which its schema rights allow.
   */
  public static String applicationUserStep(String schema) {
    return "SET @pi_account = CONCAT(QUOTE(@pi_user), '@''%''');\n"
        + createUserStep("@pi_account", "@pi_password")
        + "EXECUTE IMMEDIATE CONCAT('GRANT " + String.join(", ", APP_PRIVILEGES) + " ON "
        + identifier(schema).replace("'", "''") + ".* TO ', @pi_account);\n"
        // REVOKE of a grant that does not exist is an error: grant, then revoke, whatever the user had.
        + "EXECUTE IMMEDIATE CONCAT('GRANT SELECT ON `mysql`.`proc` TO ', @pi_account);\n"
        + "EXECUTE IMMEDIATE CONCAT('REVOKE SELECT ON `mysql`.`proc` FROM ', @pi_account);\n"
        + rootOnlyFromLocalhost();
  }

  /**
   * The database pod's backup-user step (db-users.sh): the statements of {@link #backupUser}, reading the user
   * name and password from {@code @pi_backup_user} and {@code @pi_backup_password} (from the backup user's
   * Secret, hex-encoded). Holds no secret. The script runs it only for a user other than root and other than the
   * application user (it would reset that user's password).
   */
  public static String backupUserStep(String schema) {
    return "SET @pi_backup_account = CONCAT(QUOTE(@pi_backup_user), '@''%''');\n"
        + createUserStep("@pi_backup_account", "@pi_backup_password")
        + "EXECUTE IMMEDIATE CONCAT('GRANT " + String.join(", ", BACKUP_PRIVILEGES) + " ON "
        + identifier(schema).replace("'", "''") + ".* TO ', @pi_backup_account);\n"
        + "EXECUTE IMMEDIATE CONCAT('GRANT SELECT ON `mysql`.`proc` TO ', @pi_backup_account);\n";
  }

  /** CREATE USER IF NOT EXISTS and ALTER USER for the account and password held by those session variables. */
  private static String createUserStep(String account, String password) {
    return "EXECUTE IMMEDIATE CONCAT('CREATE USER IF NOT EXISTS ', " + account + ", ' IDENTIFIED BY ', QUOTE("
        + password + "));\n"
        + "EXECUTE IMMEDIATE CONCAT('ALTER USER ', " + account + ", ' IDENTIFIED BY ', QUOTE(" + password + "));\n";
  }

  /** SQL creating (or updating) the read-only backup user of {@code schema}. */
  public static String backupUser(String schema, String user, String password) {
    return createUser(user, password)
        + "GRANT " + String.join(", ", BACKUP_PRIVILEGES) + " ON " + identifier(schema) + ".* TO "
        + account(user) + ";\n"
        + "GRANT SELECT ON `mysql`.`proc` TO " + account(user) + ";\n";
  }

  /**
   * SQL removing every root account a TCP client could match, so root logs in only over the local socket: the
   * {@code root@'%'} that stacks created before the least-privilege users carry (the official image made it from
   * the former default MARIADB_ROOT_HOST=%), and the loopback/host-name accounts mariadb-install-db may add.
   * Must run over the socket as root@localhost (it removes the TCP way in). Idempotent.
   */
  public static String rootOnlyFromLocalhost() {
    return "DROP USER IF EXISTS 'root'@'%', 'root'@'127.0.0.1', 'root'@'::1';\n"
        + "EXECUTE IMMEDIATE CONCAT('DROP USER IF EXISTS ''root''@', QUOTE(@@hostname));\n";
  }

  private static String createUser(String user, String password) {
    if ("root".equals(user)) {
      throw new IllegalArgumentException("the application and backup users must not be root");
    }
    return "CREATE USER IF NOT EXISTS " + account(user) + " IDENTIFIED BY " + literal(password) + ";\n"
        + "ALTER USER " + account(user) + " IDENTIFIED BY " + literal(password) + ";\n";
  }

  /** {@code 'user'@'%'}: the pods connect through the Service, from any pod address. */
  static String account(String user) {
    return literal(user) + "@'%'";
  }

  /** A quoted SQL string literal, backslash and quote escaped (the embedded server does not set NO_BACKSLASH_ESCAPES). */
  static String literal(String s) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a NUL character cannot be part of a database user name or password");
    }
    return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
  }

  /** A backquoted identifier. */
  static String identifier(String s) {
    if (s.isEmpty() || s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("invalid schema name");
    }
    return "`" + s.replace("`", "``") + "`";
  }
}
