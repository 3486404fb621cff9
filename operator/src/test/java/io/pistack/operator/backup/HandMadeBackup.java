package io.pistack.operator.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.backup.LocalMariaDb.Exec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * A backup directory as backup.sh lays it out (db.sql.gz, an empty files.tar.gz, a MANIFEST whose sizes and SHA-256
 * match), with SQL the test writes: what someone who can write to the backup volume or bucket could put there.
 */
final class HandMadeBackup {
  private static final DateTimeFormatter NAME_TS =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private HandMadeBackup() {}

  /** A backup name dated at the given instant: {@code <prefix>-yyyyMMdd'T'HHmmss'Z'}. */
  static String name(String prefix, Instant at) {
    return prefix + "-" + NAME_TS.format(at);
  }

  /** A dump of schema dashboard whose table mis_user holds one row: (1, label). */
  static String dumpWithRow(String label) {
    return "CREATE DATABASE IF NOT EXISTS dashboard;\nUSE dashboard;\nDROP TABLE IF EXISTS mis_user;\n"
        + "CREATE TABLE `mis_user` (id INT PRIMARY KEY, name VARCHAR(200));\n"
        + "INSERT INTO mis_user VALUES (1, '" + label + "');\n-- Dump completed\n";
  }

  /** Writes backupDir/name/{db.sql.gz,files.tar.gz,MANIFEST}; returns the backup's directory. */
  static Path write(Path backupDir, String name, String sql) throws Exception {
    Path dir = Files.createDirectory(backupDir.resolve(name));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write(sql.getBytes(StandardCharsets.UTF_8));
    }
    Files.write(dir.resolve("db.sql.gz"), bytes.toByteArray());
    Exec.Result tar = Exec.run(List.of("tar", "-czf", dir.resolve("files.tar.gz").toString(), "-T", "/dev/null"),
        Map.of(), null, Duration.ofSeconds(30), false);
    assertThat(tar.exitCode()).as("tar: %s", tar.stderr()).isZero();
    StringBuilder m = new StringBuilder("# pi-operator backup manifest\nformat: 1\nname: " + name + "\nschema: dashboard\n");
    for (String f : List.of("db.sql.gz", "files.tar.gz")) {
      byte[] content = Files.readAllBytes(dir.resolve(f));
      m.append("file: ").append(f).append(' ').append(content.length).append(" sha256:")
          .append(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content))).append('\n');
    }
    Files.writeString(dir.resolve("MANIFEST"), m.toString());
    return dir;
  }
}
