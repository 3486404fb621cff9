package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pistack.operator.backup.LocalMariaDb.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * "latest" is the newest backup dated up to now (plus 5 minutes of clock skew): a name dated later, by a wrong clock
 * or made to win, is ignored (and named on stderr) by restore.sh, verify.sh and s3.sh fetch; a name given explicitly
 * is still restored. Real scripts, a real MariaDB on loopback, moto_server as the bucket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LatestIgnoresFutureBackupsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private final Path scriptsDir = BackupS3ScriptsTest.locateScriptsDir();
  private LocalMariaDb db;
  private LocalS3 s3;

  @TempDir Path tempRoot;
  private Path work;
  private Path backups;
  private Path termLog;
  private String past;
  private String inAnHour;
  private String farFuture;

  @BeforeAll
  void start() throws Exception {
    db = LocalMariaDb.start("pi", "Pi-s3cr3t p@ss;\"$(id)`x`'\\!");
    s3 = LocalS3.start();
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {s3, db}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @BeforeEach
  void fresh() throws Exception {
    db.sql("DROP DATABASE IF EXISTS dashboard;");
    work = Files.createTempDirectory(tempRoot, "case-");
    backups = Files.createDirectory(work.resolve("backups"));
    termLog = work.resolve("termination-log");
    Instant now = Instant.now();
    past = HandMadeBackup.name("scheduled", now.minus(Duration.ofDays(1)));
    inAnHour = HandMadeBackup.name("scheduled", now.plus(Duration.ofHours(1)));
    farFuture = HandMadeBackup.name("pre-upgrade", Instant.parse("2099-12-31T23:59:59Z"));
    for (String n : List.of(past, inAnHour, farFuture)) {
      HandMadeBackup.write(backups, n, HandMadeBackup.dumpWithRow(n));
    }
  }

  @Test
  void restoreLatestTakesTheNewestBackupNotDatedInTheFuture() throws Exception {
    Exec.Result r = restore("latest");
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(JSON.readTree(r.stdout()).get("name").asText()).isEqualTo(past);
    assertThat(restoredRow()).isEqualTo(past);
    assertThat(r.stderr()).contains("ignoring " + inAnHour + " for \"latest\": it is dated in the future")
        .contains("ignoring " + farFuture + " for \"latest\"");

    // Named explicitly, a future-dated backup is restored (the user chose it).
    Exec.Result named = restore(farFuture);
    assertThat(named.exitCode()).as(named.stderr()).isZero();
    assertThat(restoredRow()).isEqualTo(farFuture);

    // Within the clock-skew allowance (a minute ahead): a backup another node just wrote is the latest.
    String aMinuteAhead = HandMadeBackup.name("scheduled", Instant.now().plus(Duration.ofMinutes(1)));
    HandMadeBackup.write(backups, aMinuteAhead, HandMadeBackup.dumpWithRow(aMinuteAhead));
    Exec.Result skewed = restore("latest");
    assertThat(skewed.exitCode()).as(skewed.stderr()).isZero();
    assertThat(restoredRow()).isEqualTo(aMinuteAhead);
  }

  @Test
  void onlyFutureDatedBackupsMeanNoLatestBackup() throws Exception {
    LocalMariaDb.deleteRecursively(backups.resolve(past));
    Exec.Result r = restore("latest");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stderr()).contains("no complete backup found in " + backups + " (none dated up to now)");
    assertThat(db.sql("SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='dashboard'"))
        .as("nothing restored").isEqualTo("0");
  }

  @Test
  void verifyLatestChecksTheNewestBackupNotDatedInTheFuture() throws Exception {
    Path workDir = Files.createDirectory(work.resolve("verify"));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
    env.put("BACKUP_DIR", backups.toString());
    env.put("WORK_DIR", workDir.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.put("VERIFY_BACKUP", "latest");
    Exec.Result r = Exec.run(List.of("bash", scriptsDir.resolve("verify.sh").toString()), env, null,
        Duration.ofSeconds(180), true);
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(JSON.readTree(r.stdout()).get("name").asText()).isEqualTo(past);
    assertThat(r.stderr()).contains("ignoring " + farFuture + " for \"latest\"");
  }

  @Test
  void s3FetchLatestTakesTheNewestBackupNotDatedInTheFuture() throws Exception {
    String bucket = "pi-future-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket, false);
    for (String n : List.of(past, inAnHour, farFuture)) {
      Exec.Result up = s3sh(bucket, "upload", backups, Map.of("S3_BACKUP_NAME", n));
      assertThat(up.exitCode()).as("upload %s: %s", n, up.stderr()).isZero();
    }
    Exec.Result list = s3sh(bucket, "list", backups, Map.of());
    assertThat(list.stdout().lines().toList()).as("all three are in the bucket").containsExactly(past, inAnHour,
        farFuture);

    Path staging = Files.createDirectory(work.resolve("staging"));
    Exec.Result fetch = s3sh(bucket, "fetch", staging, Map.of("RESTORE_BACKUP", "latest"));
    assertThat(fetch.exitCode()).as(fetch.stderr()).isZero();
    assertThat(JSON.readTree(fetch.stdout()).get("name").asText()).isEqualTo(past);
    assertThat(fetch.stderr()).contains("ignoring " + farFuture + " for \"latest\"");
    try (var s = Files.list(staging)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly(past);
    }
  }

  // ------------------------------------------------------------------------------------------------

  private Exec.Result restore(String backup) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(db.scriptEnv());
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("BACKUP_DIR", backups.toString());
    env.put("SHARED_DIR", work.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.put("RESTORE_BACKUP", backup);
    env.put("RESTORE_FORCE", "true");
    return Exec.run(List.of("bash", scriptsDir.resolve("restore.sh").toString()), env, null, Duration.ofSeconds(120),
        true);
  }

  private String restoredRow() throws Exception {
    return db.sql("SELECT name FROM dashboard.mis_user WHERE id = 1");
  }

  private Exec.Result s3sh(String bucket, String command, Path backupDir, Map<String, String> extra) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(s3.env(bucket, "ns/stack/"));
    env.put("BACKUP_DIR", backupDir.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.putAll(extra);
    return Exec.run(List.of("bash", scriptsDir.resolve("s3.sh").toString(), command), env, null,
        Duration.ofSeconds(120), true);
  }
}
