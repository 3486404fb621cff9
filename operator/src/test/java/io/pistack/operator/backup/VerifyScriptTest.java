package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pistack.operator.backup.LocalMariaDb.Exec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify.sh restores a backup into a throwaway MariaDB server of its own (socket only, no TCP) and checks it.
 * The backups are made by the real backup.sh from a real MariaDB (the "stack"), whose data verify.sh never touches.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyScriptTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path scriptsDir = BackupS3ScriptsTest.locateScriptsDir();
  private LocalMariaDb db;

  @TempDir Path tempRoot;
  private Path backups;
  private Path shared;
  private Path workDir;
  private Path termLog;

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
    workDir = Files.createDirectory(work.resolve("verify"));
    termLog = work.resolve("termination-log");
    Files.createDirectories(shared.resolve("keys"));
    Files.writeString(shared.resolve("keys/dashboard.key"), "key");
  }

  @Test
  void aGoodBackupPassesWithItsTablesAndKeyRowCounts() throws Exception {
    db.sql(resource("seed.sql"));
    String name = backup("20261126T020000Z");
    String before = db.sql("SELECT COUNT(*) FROM dashboard.mis_user");

    long t0 = System.nanoTime();
    Exec.Result r = verify(Map.of());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.exitCode()).as("verify: %s", r.stderr()).isZero();
    JsonNode out = single(r.stdout());
    assertThat(Files.readString(termLog).trim()).isEqualTo(r.stdout().trim());
    assertThat(out.get("name").asText()).isEqualTo(name);
    assertThat(out.get("result").asText()).isEqualTo("Passed");
    assertThat(out.get("tables").asInt()).as("base tables less the ignored ones").isEqualTo(4);
    assertThat(out.get("rows").get("mis_user").asInt()).isEqualTo(3);
    // The throwaway server listened on no port, and is gone; the stack's database was not touched.
    assertThat(Files.readString(workDir.resolve("error.log"))).contains("port: 0");
    assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(workDir.toString())))
        .as("no server left running").isEmpty();
    assertThat(db.sql("SELECT COUNT(*) FROM dashboard.mis_user")).isEqualTo(before);
    assertThat(Files.readString(shared.resolve("keys/dashboard.key"))).isEqualTo("key");
    System.out.printf("verification of %s (seed.sql): %d ms%n", name, ms);

    // "latest" is the newest of several.
    db.sql("INSERT INTO dashboard.mis_user (username, created_at) VALUES ('carol', NOW());");
    String second = backup("20261127T020000Z");
    Exec.Result latest = verify(Map.of("VERIFY_BACKUP", "latest"));
    assertThat(latest.exitCode()).as(latest.stderr()).isZero();
    assertThat(single(latest.stdout()).get("name").asText()).isEqualTo(second);
    assertThat(single(latest.stdout()).get("rows").get("mis_user").asInt()).isEqualTo(4);
  }

  @Test
  void aCorruptBackupFailsVerification() throws Exception {
    db.sql(resource("seed.sql"));
    String name = backup("20261126T020000Z");
    Path gz = backups.resolve(name).resolve("db.sql.gz");
    byte[] b = Files.readAllBytes(gz);
    b[b.length / 2] ^= 0x01;
    Files.write(gz, b);
    Exec.Result r = verify(Map.of());
    assertThat(r.exitCode()).isEqualTo(4);
    assertThat(r.stderr()).contains("does not restore").contains("checksum mismatch for " + name + "/db.sql.gz");
    JsonNode err = JSON.readTree(Files.readString(termLog));
    assertThat(err.get("result").asText()).isEqualTo("Failed");
    assertThat(err.get("name").asText()).isEqualTo(name);
    assertThat(err.get("exitCode").asInt()).isEqualTo(4);
  }

  @Test
  void anEmptyKeyTableOrAMissingTableFailsVerification() throws Exception {
    db.sql(resource("seed.sql"));
    db.sql("SET FOREIGN_KEY_CHECKS=0; DELETE FROM dashboard.mis_user;");
    backup("20261126T020000Z");
    Exec.Result empty = verify(Map.of());
    assertThat(empty.exitCode()).isEqualTo(4);
    assertThat(empty.stderr()).contains("key table mis_user is empty");
    Exec.Result otherKeys = verify(Map.of("VERIFY_KEY_TABLES", "mis_category mis_audit_event"));
    assertThat(otherKeys.exitCode()).as(otherKeys.stderr()).isZero();
    Exec.Result absent = verify(Map.of("VERIFY_KEY_TABLES", "mis_no_such_table"));
    assertThat(absent.exitCode()).isEqualTo(4);
    assertThat(absent.stderr()).contains("key table mis_no_such_table is missing");

    // A dump that loads but does not create a table it names (here: inside a comment) is caught.
    String sql = "CREATE DATABASE dashboard;\nUSE dashboard;\nCREATE TABLE `mis_user` (id INT);\n"
        + "INSERT INTO mis_user VALUES (1);\n/*\nCREATE TABLE `mis_ghost` (\n*/\n";
    handMadeBackup("migrated-20261128T000000Z", sql);
    Exec.Result ghost = verify(Map.of("VERIFY_BACKUP", "migrated-20261128T000000Z"));
    assertThat(ghost.exitCode()).as(ghost.stderr()).isEqualTo(4);
    assertThat(ghost.stderr()).contains("tables missing after the restore: mis_ghost");
  }

  @Test
  void badInputAndAMissingBackupAreReportedAsSuch() throws Exception {
    assertThat(verify(Map.of()).exitCode()).as("no backup at all").isEqualTo(2);
    Exec.Result missing = verify(Map.of("VERIFY_BACKUP", "scheduled-20200101T000000Z"));
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr()).contains("not found");
    assertThat(verify(Map.of("VERIFY_KEY_TABLES", "x;drop")).exitCode()).isEqualTo(2);
    assertThat(verify(Map.of("VERIFY_BACKUP", "../etc")).exitCode()).isEqualTo(2);
  }

  // ------------------------------------------------------------------------------------------------

  private String backup(String timestamp) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(db.scriptEnv());
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("BACKUP_DIR", backups.toString());
    env.put("SHARED_DIR", shared.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.put("BACKUP_TIMESTAMP_OVERRIDE", timestamp);
    Exec.Result r = Exec.run(List.of("bash", scriptsDir.resolve("backup.sh").toString()), env, null,
        Duration.ofSeconds(120), true);
    assertThat(r.exitCode()).as("backup.sh: %s", r.stderr()).isZero();
    return single(r.stdout()).get("name").asText();
  }

  private Exec.Result verify(Map<String, String> extra) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    env.put("BACKUP_DIR", backups.toString());
    env.put("WORK_DIR", workDir.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.putAll(extra);
    return Exec.run(List.of("bash", scriptsDir.resolve("verify.sh").toString()), env, null, Duration.ofSeconds(180), true);
  }

  private void handMadeBackup(String name, String sql) throws Exception {
    Path dir = Files.createDirectory(backups.resolve(name));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(sql.getBytes(StandardCharsets.UTF_8));
    }
    Files.write(dir.resolve("db.sql.gz"), bytes.toByteArray());
    Exec.Result tar = Exec.run(List.of("tar", "-czf", dir.resolve("files.tar.gz").toString(), "-T", "/dev/null"),
        Map.of(), null, Duration.ofSeconds(30), false);
    assertThat(tar.exitCode()).isZero();
    StringBuilder m = new StringBuilder("format: 1\nname: " + name + "\nschema: dashboard\n");
    for (String f : List.of("db.sql.gz", "files.tar.gz")) {
      byte[] content = Files.readAllBytes(dir.resolve(f));
      m.append("file: ").append(f).append(' ').append(content.length).append(" sha256:")
          .append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))).append('\n');
    }
    Files.writeString(dir.resolve("MANIFEST"), m.toString());
  }

  private static JsonNode single(String stdout) throws IOException {
    List<String> lines = stdout.lines().toList();
    assertThat(lines).as("stdout must be exactly one JSON line").hasSize(1);
    return JSON.readTree(lines.get(0));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = VerifyScriptTest.class.getResourceAsStream("/backup/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
