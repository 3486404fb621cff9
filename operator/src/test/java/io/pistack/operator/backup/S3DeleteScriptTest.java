package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pistack.operator.backup.LocalMariaDb.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * {@code s3.sh delete NAME}, what {@code keep} runs for a backup beyond keep on S3: every version and delete marker of
 * the backup goes, unless one version is still under Object Lock (COMPLIANCE or GOVERNANCE retention not expired):
 * then nothing goes, the exit code is 3 and the termination message says until when. Real script, the AWS CLI and
 * moto_server on loopback; the backups are uploaded by the real {@code s3.sh upload}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3DeleteScriptTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PREFIX = "stack-a/";
  private static final AtomicInteger BUCKETS = new AtomicInteger();
  private final Path scriptsDir = BackupS3ScriptsTest.locateScriptsDir();
  private LocalS3 s3;

  @TempDir Path tempRoot;
  private Path backups;
  private Path termLog;
  private String bucket;
  private String older;
  private String newer;

  @BeforeAll
  void start() throws Exception {
    s3 = LocalS3.start();
  }

  @AfterAll
  void stop() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @BeforeEach
  void fresh() throws Exception {
    Path work = Files.createTempDirectory(tempRoot, "case-");
    backups = Files.createDirectory(work.resolve("backups"));
    termLog = work.resolve("termination-log");
    bucket = "pi-prune-" + BUCKETS.incrementAndGet();
    s3.createBucket(bucket, true);
    Instant now = Instant.now();
    older = HandMadeBackup.name("scheduled", now.minus(Duration.ofDays(2)));
    newer = HandMadeBackup.name("scheduled", now.minus(Duration.ofDays(1)));
  }

  @Test
  void anUnlockedBackupIsDeletedWithAllItsVersionsAndMarkersAndTheOtherStays() throws Exception {
    upload(older, Map.of());
    upload(newer, Map.of());
    // A plain DELETE leaves a delete marker on top of the version: both go.
    s3.s3apiOk("delete-object", "--bucket", bucket, "--key", PREFIX + older + "/files.tar.gz");
    assertThat(versionsAndMarkers(older)).isEqualTo(4);

    Exec.Result del = s3sh("delete", older);
    assertThat(del.exitCode()).as(del.stderr()).isZero();
    JsonNode out = JSON.readTree(del.stdout());
    assertThat(out.get("name").asText()).isEqualTo(older);
    assertThat(out.get("location").asText()).isEqualTo("s3://" + bucket + "/" + PREFIX + older);
    assertThat(out.get("deletedVersions").asInt()).isEqualTo(4);
    assertThat(Files.readString(termLog).trim()).isEqualTo(del.stdout().trim());
    assertThat(versionsAndMarkers(older)).isZero();
    assertThat(versionsAndMarkers(newer)).isEqualTo(3);
    assertThat(s3sh("list", null).stdout().lines().toList()).containsExactly(newer);

    // Already gone (a rerun after a kill): not an error.
    Exec.Result again = s3sh("delete", older);
    assertThat(again.exitCode()).as(again.stderr()).isZero();
    assertThat(JSON.readTree(again.stdout()).get("deletedVersions").asInt()).isZero();
  }

  @Test
  void aBackupUnderComplianceOrGovernanceRetentionIsRefusedWithExitThreeAndKeptWhole() throws Exception {
    for (String mode : List.of("COMPLIANCE", "GOVERNANCE")) {
      String name = mode.equals("COMPLIANCE") ? older : newer;
      upload(name, Map.of("S3_LOCK_MODE", mode, "S3_LOCK_DAYS", "2"));
      Instant until = Instant.parse(JSON.readTree(Files.readString(termLog)).get("retainUntil").asText());

      Exec.Result del = s3sh("delete", name);
      assertThat(del.exitCode()).as(del.stderr()).isEqualTo(3);
      assertThat(del.stdout()).isEmpty();
      JsonNode msg = JSON.readTree(Files.readString(termLog));
      assertThat(msg.get("exitCode").asInt()).isEqualTo(3);
      assertThat(msg.get("locked").asBoolean()).isTrue();
      assertThat(msg.get("mode").asText()).isEqualTo(mode);
      assertThat(Instant.parse(msg.get("retainUntil").asText())).isEqualTo(until.truncatedTo(ChronoUnit.SECONDS));
      assertThat(msg.get("error").asText()).contains("under Object Lock").contains(mode + " retention until");
      assertThat(versionsAndMarkers(name)).as("nothing of %s deleted", mode).isEqualTo(3);
    }
    assertThat(s3sh("list", null).stdout().lines().toList()).containsExactly(older, newer);
  }

  @Test
  void onceTheRetentionHasExpiredTheBackupIsDeleted() throws Exception {
    upload(older, Map.of("S3_LOCK_MODE", "COMPLIANCE", "S3_LOCK_DAYS", "1"));
    assertThat(s3sh("delete", older).exitCode()).isEqualTo(3);
    // moto lets a COMPLIANCE retention be shortened (real S3 does not): the way to see it expire in a test.
    String past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS).toString();
    for (String f : List.of("db.sql.gz", "files.tar.gz", "MANIFEST")) {
      String key = PREFIX + older + "/" + f;
      String version = s3.s3apiOk("list-object-versions", "--bucket", bucket, "--prefix", key,
          "--query", "Versions[0].VersionId", "--output", "text").trim();
      s3.s3apiOk("put-object-retention", "--bucket", bucket, "--key", key, "--version-id", version,
          "--retention", "Mode=COMPLIANCE,RetainUntilDate=" + past);
    }
    Exec.Result del = s3sh("delete", older);
    assertThat(del.exitCode()).as(del.stderr()).isZero();
    assertThat(versionsAndMarkers(older)).isZero();
  }

  @Test
  void aNameThatIsNotABackupNameIsRefusedBeforeAnyRequest() throws Exception {
    for (String bad : List.of("", "scheduled", "../x-20261101T000000Z", "scheduled-20261101T000000Z/..")) {
      Exec.Result del = s3sh("delete", bad);
      assertThat(del.exitCode()).as("'%s'", bad).isEqualTo(2);
      assertThat(del.stderr()).contains("delete needs a backup name");
    }
  }

  private void upload(String name, Map<String, String> lock) throws Exception {
    HandMadeBackup.write(backups, name, HandMadeBackup.dumpWithRow(name));
    Map<String, String> env = new LinkedHashMap<>(lock);
    env.put("S3_BACKUP_NAME", name);
    Exec.Result up = s3sh("upload", null, env);
    assertThat(up.exitCode()).as("upload: %s", up.stderr()).isZero();
  }

  private int versionsAndMarkers(String name) throws Exception {
    String out = s3.s3apiOk("list-object-versions", "--bucket", bucket, "--prefix", PREFIX + name + "/",
        "--query", "length([Versions || `[]`, DeleteMarkers || `[]`][])", "--output", "text");
    return Integer.parseInt(out.trim());
  }

  private Exec.Result s3sh(String command, String name) throws Exception {
    return s3sh(command, name, Map.of());
  }

  private Exec.Result s3sh(String command, String name, Map<String, String> extra) throws Exception {
    Map<String, String> env = new LinkedHashMap<>(s3.env(bucket, PREFIX));
    env.put("BACKUP_DIR", backups.toString());
    env.put("TERMINATION_LOG", termLog.toString());
    env.putAll(extra);
    List<String> cmd = name == null ? List.of("bash", scriptsDir.resolve("s3.sh").toString(), command)
        : List.of("bash", scriptsDir.resolve("s3.sh").toString(), command, name);
    return Exec.run(cmd, env, null, Duration.ofSeconds(120), true);
  }
}
