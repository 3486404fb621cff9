package io.pistack.operator.model;

import java.util.List;
import java.util.Optional;

/**
 * Which user names the embedded database's user step (db-users.sh) may create: the one rule, which the
 * operator reports (ReferencedSecrets, naming the Secret and key) and the database pod enforces (the script
 * gets its parameters from here through the environment, see StatefulSetBuilder). A name outside it is left
 * alone, nothing created: an empty name would be MariaDB's anonymous account (any user name logs in to it),
 * and the reserved ones are the server's own accounts and role.
 *
 * <p>1 to 32 characters (MySQL's limit; MariaDB allows 80, so a dump moves to either), letters, digits,
 * '_', '.' and '-' only. root has its own refusal (RootUserRefused) and is not decided here.
 */
public final class DatabaseUserName {
  public static final int MAX_LENGTH = 32;
  /** The allowed characters, as a bracket expression body (Java regex and POSIX sh glob alike). */
  public static final String CHARACTERS = "A-Za-z0-9_.-";
  /** Accounts and roles the server has itself (root is refused on its own, see ReferencedSecrets). */
  public static final List<String> RESERVED = List.of("mariadb.sys", "mysql", "PUBLIC");
  public static final String RULE = "a user name is 1 to " + MAX_LENGTH + " letters, digits, '_', '.' or '-', and"
      + " not " + String.join(", ", RESERVED);

  /** Why a name is refused, as a code kept in place of the value (SecretDigests) and turned into words here. */
  public enum Problem {
    EMPTY("is empty, which is MariaDB's anonymous account"),
    RESERVED("is one the database reserves"),
    TOO_LONG("is longer than " + MAX_LENGTH + " characters"),
    CHARACTERS("has a character other than letters, digits, '_', '.' and '-'");

    private final String words;

    Problem(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  private DatabaseUserName() {}

  /** The problem of a user name, if any (never says the name). root is not one here. */
  public static Optional<Problem> problem(String name) {
    if (name.isEmpty()) {
      return Optional.of(Problem.EMPTY);
    }
    if (RESERVED.contains(name)) {
      return Optional.of(Problem.RESERVED);
    }
    if (name.length() > MAX_LENGTH) {
      return Optional.of(Problem.TOO_LONG);
    }
    if (!name.matches("[" + CHARACTERS + "]+")) {
      return Optional.of(Problem.CHARACTERS);
    }
    return Optional.empty();
  }
}
