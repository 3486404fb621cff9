package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pistack.operator.backup.LocalMariaDb.Exec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * backup.sh -> s3.sh upload -> (bucket with Object Lock) -> s3.sh fetch -> restore.sh, all real: two throwaway
 * MariaDB servers on loopback (A, the stack that is backed up; B, an empty server standing in for a new cluster),
 * moto_server as the S3 server and the AWS CLI, both from the venv .ci/run installs.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackupS3ScriptsTest {
  private static final String DB_PASSWORD = "Pi-s3cr3t p@ss;\"$(id)`x`'\\!";
  private static final String PREFIX = "stack-a/";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> FILES = List.of("db.sql.gz", "files.tar.gz", "MANIFEST");
  private static final AtomicInteger BUCKETS = new AtomicInteger();

  private final Path scriptsDir = locateScriptsDir();
  private LocalMariaDb dbA;
  private LocalMariaDb dbB;
  private LocalS3 s3;

  @TempDir Path tempRoot;
  private Path work;
  private Path sharedA;
  private Path sharedB;
  private Path termLog;
  private String bucket;

  @BeforeAll
  void start() throws Exception {
    dbA = LocalMariaDb.start("pi", DB_PASSWORD);
    dbB = LocalMariaDb.start("pi", DB_PASSWORD);
    s3 = LocalS3.start();
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {s3, dbB, dbA}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @BeforeEach
  void fresh() throws Exception {
    dbA.sql("DROP DATABASE IF EXISTS dashboard;");
    dbB.sql("DROP DATABASE IF EXISTS dashboard;");
    work = Files.createTempDirectory(tempRoot, "case-");
    sharedA = Files.createDirectory(work.resolve("shared-a"));
    sharedB = Files.createDirectory(work.resolve("shared-b"));
    termLog = work.resolve("termination-log");
    bucket = "pi-backups-" + BUCKETS.incrementAndGet();
  }

  // ------------------------------------------------------------------------------------------------

  @Test
  void backupUploadListAndRestoreOntoAnEmptyServer() throws Exception {
    s3.createBucket(bucket, true);
    seedStackA();
    Path stagingA = Files.createDirectory(work.resolve("staging-a"));

    long t0 = System.nanoTime();
    String name = backup(stagingA, "20261126T020000Z");
    long t1 = System.nanoTime();
    Exec.Result up = s3sh("upload", stagingA, Map.of("S3_LOCK_MODE", "COMPLIANCE", "S3_LOCK_DAYS", "1"));
    long t2 = System.nanoTime();
    assertThat(up.exitCode()).as("upload: %s", up.stderr()).isZero();
    Instant uploadedAt = Instant.now();

    JsonNode summary = single(up.stdout());
    assertThat(readIfExists(termLog).trim()).isEqualTo(up.stdout().trim());
    assertThat(summary.get("name").asText()).isEqualTo(name);
    assertThat(summary.get("location").asText()).isEqualTo("s3://" + bucket + "/" + PREFIX + name);
    Path local = stagingA.resolve(name);
    long size = 0;
    for (String f : FILES) {
      size += Files.size(local.resolve(f));
    }
    assertThat(summary.get("sizeBytes").asLong()).isEqualTo(size);
    assertThat(summary.get("manifestSha256").asText()).isEqualTo("sha256:" + HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(local.resolve("MANIFEST")))));
    // The MANIFEST object's version (the bucket versions objects: Object Lock needs it), as S3 reports it.
    assertThat(summary.get("versionId").asText()).isNotBlank().isEqualTo(JSON.readTree(s3.s3apiOk("head-object",
        "--bucket", bucket, "--key", PREFIX + name + "/MANIFEST")).get("VersionId").asText());
    Instant retainUntil = Instant.parse(summary.get("retainUntil").asText());
    assertThat(retainUntil).isBetween(uploadedAt.plus(Duration.ofDays(1)).minusSeconds(120),
        uploadedAt.plus(Duration.ofDays(1)));

    // Every object: the bytes' SHA-256 (the one the MANIFEST lists), its size, and COMPLIANCE retention for a day.
    Map<String, String> manifest = manifestSums(local.resolve("MANIFEST"));
    for (String f : FILES) {
      JsonNode head = JSON.readTree(s3.s3apiOk("head-object", "--bucket", bucket, "--key", PREFIX + name + "/" + f,
          "--checksum-mode", "ENABLED"));
      assertThat(head.get("ContentLength").asLong()).isEqualTo(Files.size(local.resolve(f)));
      assertThat(head.get("ChecksumSHA256").asText()).isEqualTo(b64Sha256(local.resolve(f)));
      if (!f.equals("MANIFEST")) {
        assertThat(HexFormat.of().formatHex(Base64.getDecoder().decode(head.get("ChecksumSHA256").asText())))
            .isEqualTo(manifest.get(f));
      }
      assertThat(head.get("ObjectLockMode").asText()).isEqualTo("COMPLIANCE");
      assertThat(Instant.parse(head.get("ObjectLockRetainUntilDate").asText()))
          .isBetween(retainUntil.minusSeconds(1), retainUntil.plusSeconds(1));
    }

    // A second, later backup: list shows both, oldest first, and "latest" restores the later one.
    dbA.sql("INSERT INTO dashboard.mis_category VALUES (5, 'After the first backup', NULL);");
    String second = backup(stagingA, "20261127T020000Z");
    Exec.Result up2 = s3sh("upload", stagingA, Map.of("S3_LOCK_MODE", "COMPLIANCE", "S3_LOCK_DAYS", "1"));
    assertThat(up2.exitCode()).as("upload: %s", up2.stderr()).isZero();
    assertThat(single(up2.stdout()).get("name").asText()).isEqualTo(second);
    Exec.Result list = s3sh("list", stagingA, Map.of());
    assertThat(list.exitCode()).as(list.stderr()).isZero();
    assertThat(list.stdout().lines().toList()).containsExactly(name, second);

    // Uploading a name that exists is refused (it would add versions on top of the locked ones).
    Exec.Result again = s3sh("upload", stagingA, Map.of("S3_BACKUP_NAME", name));
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.stderr()).contains("already exists");

    // The "new cluster": an empty server B, an empty shared volume, only the bucket and the credentials.
    Map<String, String> before = snapshot(dbA);
    Map<String, String> filesBefore = tree(sharedA);
    Path stagingB = Files.createDirectory(work.resolve("staging-b"));
    long t3 = System.nanoTime();
    Exec.Result fetch = s3sh("fetch", stagingB, Map.of("RESTORE_BACKUP", "latest"));
    long t4 = System.nanoTime();
    assertThat(fetch.exitCode()).as("fetch: %s", fetch.stderr()).isZero();
    assertThat(single(fetch.stdout()).get("name").asText()).isEqualTo(second);
    Exec.Result restore = restore(stagingB, "latest");
    long t5 = System.nanoTime();
    assertThat(restore.exitCode()).as("restore: %s", restore.stderr()).isZero();
    assertThat(single(restore.stdout()).get("name").asText()).isEqualTo(second);
    assertThat(snapshot(dbB)).isEqualTo(before);
    assertThat(tree(sharedB)).isEqualTo(filesBefore);
    assertThat(dbB.sql("SELECT name FROM dashboard.mis_category WHERE category_id = 5")).isEqualTo("After the first backup");

    assertNoSecretIn(up.stdout(), up.stderr(), up2.stderr(), list.stdout(), list.stderr(), fetch.stdout(),
        fetch.stderr(), restore.stdout(), restore.stderr(), readIfExists(termLog));
    System.out.printf("S3 round trip (seed.sql, %d bytes uploaded): backup %d ms, upload %d ms, fetch %d ms,"
        + " restore %d ms%n", size, ms(t0, t1), ms(t1, t2), ms(t3, t4), ms(t4, t5));
  }

  @Test
  void underComplianceRetentionNoVersionCanBeDeletedAndLaterWritesAreIgnored() throws Exception {
    s3.createBucket(bucket, true);
    seedStackA();
    Path stagingA = Files.createDirectory(work.resolve("staging-a"));
    String name = backup(stagingA, "20261126T020000Z");
    assertThat(s3sh("upload", stagingA, Map.of("S3_LOCK_MODE", "COMPLIANCE", "S3_LOCK_DAYS", "3")).exitCode()).isZero();

    for (String f : FILES) {
      String key = PREFIX + name + "/" + f;
      String version = s3.s3apiOk("list-object-versions", "--bucket", bucket, "--prefix", key,
          "--query", "Versions[0].VersionId", "--output", "text");
      assertThat(version).isNotBlank().isNotEqualTo("None");
      Exec.Result del = s3.s3api("delete-object", "--bucket", bucket, "--key", key, "--version-id", version);
      assertThat(del.exitCode()).as("deleting a version under retention must fail: %s", del.stdout()).isNotZero();
      assertThat(del.stderr()).contains("AccessDenied");
      Exec.Result bypass = s3.s3api("delete-object", "--bucket", bucket, "--key", key, "--version-id", version,
          "--bypass-governance-retention");
      assertThat(bypass.exitCode()).as("COMPLIANCE cannot be bypassed").isNotZero();
      assertThat(bypass.stderr()).contains("AccessDenied");
      // still there, byte for byte
      assertThat(s3.s3apiOk("head-object", "--bucket", bucket, "--key", key, "--version-id", version,
          "--query", "ContentLength", "--output", "text")).isEqualTo(Long.toString(Files.size(stagingA.resolve(name).resolve(f))));
    }

    // What S3 does allow under Object Lock: a new version on top (an overwrite) and a delete marker (a plain
    // DELETE). Neither touches the locked versions, and the fetch reads the versions the backup wrote.
    Path evil = work.resolve("evil.gz");
    Files.write(evil, new byte[] {0x1f, (byte) 0x8b, 0, 1, 2, 3});
    s3.s3apiOk("put-object", "--bucket", bucket, "--key", PREFIX + name + "/db.sql.gz", "--body", evil.toString());
    s3.s3apiOk("delete-object", "--bucket", bucket, "--key", PREFIX + name + "/MANIFEST");
    assertThat(s3.s3apiOk("list-objects-v2", "--bucket", bucket, "--prefix", PREFIX + name + "/MANIFEST",
        "--query", "length(Contents || `[]`)", "--output", "text")).as("the MANIFEST is hidden by a delete marker")
        .isEqualTo("0");

    Map<String, String> before = snapshot(dbA);
    Path stagingB = Files.createDirectory(work.resolve("staging-b"));
    Exec.Result fetch = s3sh("fetch", stagingB, Map.of("RESTORE_BACKUP", "latest"));
    assertThat(fetch.exitCode()).as("fetch: %s", fetch.stderr()).isZero();
    assertThat(fetch.stderr()).contains("db.sql.gz has 2 versions; reading the first one written");
    Exec.Result restore = restore(stagingB, name);
    assertThat(restore.exitCode()).as("restore: %s", restore.stderr()).isZero();
    assertThat(snapshot(dbB)).isEqualTo(before);
  }

  @Test
  void governanceRetentionRefusesDeletesUnlessBypassed() throws Exception {
    s3.createBucket(bucket, true);
    seedStackA();
    Path stagingA = Files.createDirectory(work.resolve("staging-a"));
    String name = backup(stagingA, "20261126T020000Z");
    assertThat(s3sh("upload", stagingA, Map.of("S3_LOCK_MODE", "GOVERNANCE", "S3_LOCK_DAYS", "1")).exitCode()).isZero();
    String key = PREFIX + name + "/MANIFEST";
    JsonNode head = JSON.readTree(s3.s3apiOk("head-object", "--bucket", bucket, "--key", key));
    assertThat(head.get("ObjectLockMode").asText()).isEqualTo("GOVERNANCE");
    String version = head.get("VersionId").asText();
    Exec.Result del = s3.s3api("delete-object", "--bucket", bucket, "--key", key, "--version-id", version);
    assertThat(del.exitCode()).isNotZero();
    assertThat(del.stderr()).contains("AccessDenied");
    // s3:BypassGovernanceRetention (granted to nobody who runs backups) can remove it: that is GOVERNANCE.
    assertThat(s3.s3api("delete-object", "--bucket", bucket, "--key", key, "--version-id", version,
        "--bypass-governance-retention").exitCode()).isZero();
    assertThat(s3.s3api("head-object", "--bucket", bucket, "--key", key, "--version-id", version).exitCode()).isNotZero();
  }

  @Test
  void aTruncatedOrTamperedObjectIsRefusedAtRestore() throws Exception {
    // Without Object Lock (an unversioned bucket) an object can be replaced in place: the restore must notice.
    s3.createBucket(bucket, false);
    seedStackA();
    Path stagingA = Files.createDirectory(work.resolve("staging-a"));
    String name = backup(stagingA, "20261126T020000Z");
    assertThat(s3sh("upload", stagingA, Map.of()).exitCode()).isZero();
    Path local = stagingA.resolve(name);

    byte[] db = Files.readAllBytes(local.resolve("db.sql.gz"));
    Path truncated = work.resolve("truncated.gz");
    Files.write(truncated, Arrays.copyOf(db, db.length / 2));
    s3.s3apiOk("put-object", "--bucket", bucket, "--key", PREFIX + name + "/db.sql.gz", "--body", truncated.toString());
    assertRestoreRefused(name, "size mismatch for " + name + "/db.sql.gz");

    s3.s3apiOk("put-object", "--bucket", bucket, "--key", PREFIX + name + "/db.sql.gz", "--body",
        local.resolve("db.sql.gz").toString());
    byte[] files = Files.readAllBytes(local.resolve("files.tar.gz"));
    files[files.length / 2] ^= 0x01;
    Path tampered = work.resolve("tampered.tar.gz");
    Files.write(tampered, files);
    s3.s3apiOk("put-object", "--bucket", bucket, "--key", PREFIX + name + "/files.tar.gz", "--body", tampered.toString());
    assertRestoreRefused(name, "checksum mismatch for " + name + "/files.tar.gz");

    // Put back, the same backup restores: the refusals were about the bytes, not the setup.
    s3.s3apiOk("put-object", "--bucket", bucket, "--key", PREFIX + name + "/files.tar.gz", "--body",
        local.resolve("files.tar.gz").toString());
    Path stagingB = Files.createDirectory(work.resolve("staging-ok"));
    assertThat(s3sh("fetch", stagingB, Map.of("RESTORE_BACKUP", name)).exitCode()).isZero();
    assertThat(restore(stagingB, name).exitCode()).isZero();
  }

  @Test
  void uploadRefusesADamagedLocalBackupABucketWithoutObjectLockAndBadInput() throws Exception {
    seedStackA();
    Path stagingA = Files.createDirectory(work.resolve("staging-a"));
    String name = backup(stagingA, "20261126T020000Z");

    s3.createBucket(bucket, true);
    Path db = stagingA.resolve(name).resolve("db.sql.gz");
    byte[] good = Files.readAllBytes(db);
    byte[] bad = good.clone();
    bad[bad.length / 2] ^= 0x01;
    Files.write(db, bad);
    Exec.Result damaged = s3sh("upload", stagingA, Map.of());
    assertThat(damaged.exitCode()).isEqualTo(2);
    assertThat(damaged.stderr()).contains("checksum mismatch for " + name + "/db.sql.gz");
    assertThat(JSON.readTree(readIfExists(termLog)).get("exitCode").asInt()).isEqualTo(2);
    assertThat(objectCount(bucket)).as("nothing uploaded").isZero();
    Files.write(db, good);

    // Retention asked for, but the bucket cannot hold it: no MANIFEST, so no backup that looks complete.
    String plain = bucket + "-nolock";
    s3.createBucket(plain, false);
    Map<String, String> env = new LinkedHashMap<>(Map.of("S3_LOCK_MODE", "COMPLIANCE", "S3_LOCK_DAYS", "1"));
    env.put("S3_BUCKET", plain);
    Exec.Result noLock = s3sh("upload", stagingA, env);
    assertThat(noLock.exitCode()).as(noLock.stderr()).isEqualTo(1);
    assertThat(s3.s3apiOk("list-objects-v2", "--bucket", plain, "--prefix", PREFIX + name + "/MANIFEST",
        "--query", "length(Contents || `[]`)", "--output", "text")).isEqualTo("0");
    Exec.Result list = s3sh("list", stagingA, Map.of("S3_BUCKET", plain));
    assertThat(list.exitCode()).isZero();
    assertThat(list.stdout()).isEmpty();

    for (Map<String, String> badInput : List.of(Map.of("S3_LOCK_MODE", "FOREVER"),
        Map.of("S3_LOCK_MODE", "COMPLIANCE", "S3_LOCK_DAYS", "0"), Map.of("S3_BUCKET", "Bad_Bucket"),
        Map.of("S3_PREFIX", "a//b"), Map.of("S3_BACKUP_NAME", "../etc"))) {
      Exec.Result r = s3sh("upload", stagingA, badInput);
      assertThat(r.exitCode()).as("%s: %s", badInput, r.stderr()).isEqualTo(2);
    }
    Exec.Result missing = s3sh("fetch", Files.createDirectory(work.resolve("staging-b")),
        Map.of("RESTORE_BACKUP", "scheduled-20200101T000000Z"));
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.stderr()).contains("not found");
    assertNoSecretIn(damaged.stderr(), noLock.stderr(), missing.stderr(), readIfExists(termLog));
  }

  // ------------------------------------------------------------------------------------------------

  private void assertRestoreRefused(String name, String message) throws Exception {
    Path staging = Files.createDirectory(work.resolve("staging-" + System.nanoTime()));
    Exec.Result fetch = s3sh("fetch", staging, Map.of("RESTORE_BACKUP", name));
    assertThat(fetch.exitCode()).as("fetch: %s", fetch.stderr()).isZero();
    Exec.Result r = restore(staging, name);
    assertThat(r.exitCode()).as("restore: %s", r.stderr()).isEqualTo(2);
    assertThat(r.stderr()).contains(message);
    assertThat(dbB.sql("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA='dashboard'"))
        .as("nothing restored").isEqualTo("0");
    assertThat(tree(sharedB)).isEmpty();
  }

  private void seedStackA() throws Exception {
    dbA.sql(resource("seed.sql"));
    Random rnd = new Random(7);
    write(sharedA.resolve("keys/dashboard.key"), bytes(rnd, 2048));
    write(sharedA.resolve("themes/pi-default/css/theme.css"), "body { color: #333; }\n".getBytes(StandardCharsets.UTF_8));
    write(sharedA.resolve("images/logo.png"), bytes(rnd, 40_000));
    write(sharedA.resolve("custom_jdbc_drivers/vendor-jdbc.jar"), bytes(rnd, 150_000));
  }

  private String backup(Path backupDir, String timestamp) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(dbA.scriptEnv());
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("BACKUP_DIR", backupDir.toString());
    env.put("SHARED_DIR", sharedA.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.put("BACKUP_TIMESTAMP_OVERRIDE", timestamp);
    Exec.Result r = Exec.run(List.of("bash", scriptsDir.resolve("backup.sh").toString()), env, null,
        Duration.ofSeconds(120), true);
    assertThat(r.exitCode()).as("backup.sh: %s", r.stderr()).isZero();
    return single(r.stdout()).get("name").asText();
  }

  private Exec.Result restore(Path backupDir, String name) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(dbB.scriptEnv());
    env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
    env.put("BACKUP_DIR", backupDir.toString());
    env.put("SHARED_DIR", sharedB.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.put("RESTORE_BACKUP", name);
    return Exec.run(List.of("bash", scriptsDir.resolve("restore.sh").toString()), env, null, Duration.ofSeconds(120), true);
  }

  private Exec.Result s3sh(String command, Path backupDir, Map<String, String> extra) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(s3.env(bucket, PREFIX));
    env.put("BACKUP_DIR", backupDir.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.putAll(extra);
    return Exec.run(List.of("bash", scriptsDir.resolve("s3.sh").toString(), command), env, null,
        Duration.ofSeconds(120), true);
  }

  private long objectCount(String b) throws Exception {
    return Long.parseLong(s3.s3apiOk("list-object-versions", "--bucket", b, "--query", "length(Versions || `[]`)",
        "--output", "text"));
  }

  /**
   * Tables, each table's row count and CHECKSUM TABLE, views, triggers and routines of schema dashboard, less the
   * three objects backup.sh leaves out on purpose (the vendor's ignore list).
   */
  private static Map<String, String> snapshot(LocalMariaDb db) throws Exception {
    Map<String, String> snap = new LinkedHashMap<>();
    String tables = db.sql("SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA='dashboard'"
        + " AND TABLE_NAME NOT IN ('mis_user_cat_access_view_pi', 'test_user_access', 'mis_user_cat_access_view')"
        + " ORDER BY 1");
    snap.put("objects", tables);
    for (String line : tables.lines().toList()) {
      String[] parts = line.split("\t");
      if (parts[1].equals("BASE TABLE")) {
        snap.put("rows " + parts[0], db.sql("SELECT COUNT(*) FROM dashboard.`" + parts[0] + "`"));
        snap.put("checksum " + parts[0], db.sql("CHECKSUM TABLE dashboard.`" + parts[0] + "` EXTENDED"));
      }
    }
    snap.put("triggers", db.sql("SELECT TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS"
        + " WHERE TRIGGER_SCHEMA='dashboard' ORDER BY 1"));
    snap.put("routines", db.sql("SELECT ROUTINE_NAME, ROUTINE_DEFINITION FROM information_schema.ROUTINES"
        + " WHERE ROUTINE_SCHEMA='dashboard' ORDER BY 1"));
    assertThat(snap.get("objects")).contains("mis_user", "mis_audit_event");
    return snap;
  }

  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(p -> !p.equals(root)).toList()) {
        out.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir" : hex(Files.readAllBytes(p)));
      }
    }
    return out;
  }

  private static Map<String, String> manifestSums(Path manifest) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : Files.readAllLines(manifest)) {
      if (line.startsWith("file: ")) {
        String[] parts = line.split(" ");
        out.put(parts[1], parts[3].replace("sha256:", ""));
      }
    }
    assertThat(out).containsOnlyKeys("db.sql.gz", "files.tar.gz");
    return out;
  }

  private static void assertNoSecretIn(String... texts) {
    for (String t : texts) {
      assertThat(t).doesNotContain(LocalS3.SECRET_KEY).doesNotContain(DB_PASSWORD).doesNotContain("Pi-s3cr3t");
    }
  }

  private static JsonNode single(String stdout) throws IOException {
    List<String> lines = stdout.lines().toList();
    assertThat(lines).as("stdout must be exactly one JSON line").hasSize(1);
    return JSON.readTree(lines.get(0));
  }

  private static String b64Sha256(Path p) throws Exception {
    return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  private static String hex(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(Path p, byte[] content) throws IOException {
    Files.createDirectories(p.getParent());
    Files.write(p, content);
  }

  private static byte[] bytes(Random rnd, int n) {
    byte[] b = new byte[n];
    rnd.nextBytes(b);
    return b;
  }

  private static long ms(long from, long to) {
    return (to - from) / 1_000_000;
  }

  private static String readIfExists(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p) : "";
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = BackupS3ScriptsTest.class.getResourceAsStream("/backup/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Path locateScriptsDir() {
    Path cwd = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    for (Path candidate : new ArrayList<>(List.of(cwd.resolve("src/main/resources/io/pistack/operator/backup"),
        cwd.resolve("operator/src/main/resources/io/pistack/operator/backup")))) {
      if (Files.isRegularFile(candidate.resolve("s3.sh"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("s3.sh not found below " + cwd);
  }
}
