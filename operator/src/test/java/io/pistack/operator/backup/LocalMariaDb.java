package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway MariaDB server on loopback (the Debian packages mariadb-server and mariadb-client), with real
 * password authentication: root over the socket with a random password, and a TCP user for the scripts.
 * Test-only; missing binaries fail the test rather than skip it.
 */
final class LocalMariaDb implements AutoCloseable {
  final String user;
  final String password;
  final int port;
  final Path dir;
  final Path client;
  final Path dump;
  final Path socket;
  final String rootPassword = "root-" + Long.toHexString(new Random().nextLong());
  private final Process server;

  private LocalMariaDb(String user, String password) throws Exception {
    this.user = user;
    this.password = password;
    Optional<Path> installDb = findBinary("mariadb-install-db", "mysql_install_db");
    Optional<Path> mariadbd = findBinary("mariadbd", "mysqld");
    Optional<Path> cli = findBinary("mariadb", "mysql");
    Optional<Path> dumpBin = findBinary("mariadb-dump", "mysqldump");
    if (installDb.isEmpty() || mariadbd.isEmpty() || cli.isEmpty() || dumpBin.isEmpty()) {
      fail("MariaDB binaries not found: install mariadb-server mariadb-client (apt-get; .ci/run does)");
    }
    client = cli.get();
    dump = dumpBin.get();
    dir = Files.createTempDirectory("pi-test-mariadb-");
    Path data = Files.createDirectory(dir.resolve("data"));
    socket = dir.resolve("mysqld.sock");
    port = freePort();
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> install = new ArrayList<>(List.of(installDb.get().toString(), "--no-defaults", "--datadir=" + data,
        "--auth-root-authentication-method=normal", "--lower_case_table_names=1"));
    if (root) {
      install.add("--user=root");
    }
    Exec.Result inst = Exec.run(install, Map.of(), null, Duration.ofSeconds(120), false);
    assertThat(inst.exitCode()).as("mariadb-install-db failed:\n%s\n%s", inst.stdout(), inst.stderr()).isZero();
    List<String> cmd = new ArrayList<>(List.of(mariadbd.get().toString(), "--no-defaults", "--datadir=" + data,
        "--socket=" + socket, "--port=" + port, "--bind-address=127.0.0.1", "--pid-file=" + dir.resolve("mysqld.pid"),
        "--log-error=" + dir.resolve("error.log"), "--tmpdir=" + dir, "--lower_case_table_names=1",
        "--log-bin-trust-function-creators=1", "--character-set-server=utf8mb4",
        "--collation-server=utf8mb4_unicode_ci", "--skip-name-resolve",
        "--sql-mode=NO_AUTO_VALUE_ON_ZERO,STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION",
        "--innodb-buffer-pool-size=64M", "--innodb-flush-log-at-trx-commit=0", "--innodb-doublewrite=0"));
    if (root) {
      cmd.add("--user=root");
    }
    server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Exec.run(admin(), Map.of(), "SELECT 1", Duration.ofSeconds(10), false).exitCode() != 0) {
      if (!server.isAlive() || System.nanoTime() > deadline) {
        fail("mariadbd did not start:\n%s", Files.readString(dir.resolve("error.log")));
      }
      Thread.sleep(200);
    }
    Exec.Result setup = Exec.run(admin(), Map.of(), String.join("\n",
        "DELETE FROM mysql.global_priv WHERE User = '';",
        "FLUSH PRIVILEGES;",
        "CREATE USER '" + user + "'@'%' IDENTIFIED BY '" + sqlEscape(password) + "';",
        "GRANT ALL PRIVILEGES ON *.* TO '" + user + "'@'%' WITH GRANT OPTION;",
        "ALTER USER 'root'@'localhost' IDENTIFIED BY '" + sqlEscape(rootPassword) + "';"), Duration.ofSeconds(30), false);
    assertThat(setup.exitCode()).as("user setup failed: %s", setup.stderr()).isZero();
  }

  static LocalMariaDb start(String user, String password) throws Exception {
    return new LocalMariaDb(user, password);
  }

  /** The environment backup.sh/restore.sh need to reach this server as the TCP user. */
  Map<String, String> scriptEnv() {
    return Map.of("DB_HOST", "127.0.0.1", "DB_PORT", Integer.toString(port), "DB_USER", user,
        "DB_PASSWORD", password);
  }

  /** Runs SQL as root over the socket; returns the trimmed output. */
  String sql(String statements) throws Exception {
    Exec.Result r = Exec.run(admin(), Map.of("MYSQL_PWD", rootPassword), statements, Duration.ofSeconds(120), false);
    assertThat(r.exitCode()).as("SQL failed: %s\n%s", statements, r.stderr()).isZero();
    return r.stdout().strip();
  }

  private List<String> admin() {
    return List.of(client.toString(), "--no-defaults", "--protocol=socket", "--socket=" + socket, "--user=root",
        "--default-character-set=utf8mb4", "--batch", "--skip-column-names");
  }

  @Override
  public void close() throws Exception {
    server.destroy();
    if (!server.waitFor(30, TimeUnit.SECONDS)) {
      server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    deleteRecursively(dir);
  }

  static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static Optional<Path> findBinary(String... names) {
    List<String> dirs = new ArrayList<>(Arrays.asList(System.getenv().getOrDefault("PATH", "").split(":")));
    dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin"));
    for (String name : names) {
      for (String d : dirs) {
        if (!d.isEmpty()) {
          Path p = Paths.get(d, name);
          if (Files.isRegularFile(p) && Files.isExecutable(p)) {
            return Optional.of(p);
          }
        }
      }
    }
    return Optional.empty();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  private static String sqlEscape(String s) {
    return s.replace("\\", "\\\\").replace("'", "''");
  }

  /** Runs a process with a timeout and collects its output. */
  static final class Exec {
    record Result(int exitCode, String stdout, String stderr) {}

    private Exec() {}

    /** With cleanEnv the child gets only env, like a container would. */
    static Result run(List<String> cmd, Map<String, String> env, String stdin, Duration timeout, boolean cleanEnv)
        throws Exception {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      if (cleanEnv) {
        pb.environment().clear();
      } else {
        pb.environment().keySet().removeIf(k -> k.startsWith("MYSQL") || k.startsWith("DB_") || k.startsWith("AWS_"));
      }
      pb.environment().putAll(env);
      Path out = Files.createTempFile("exec-", ".out");
      Path err = Files.createTempFile("exec-", ".err");
      try {
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.redirectInput(stdin == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
            : ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        if (stdin != null) {
          try (var os = p.getOutputStream()) {
            os.write(stdin.getBytes(StandardCharsets.UTF_8));
          } catch (IOException e) {
            // The child exited before reading all its input (e.g. the client could not connect yet): its exit
            // code below says what happened.
          }
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
          fail("timed out after %s: %s\nstderr: %s", timeout, cmd, Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    }
  }
}
