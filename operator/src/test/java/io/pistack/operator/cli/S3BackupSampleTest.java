package io.pistack.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.pistack.operator.it.Stacks;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** samples/s3-backups.yaml passes the CRD schema and the CEL mirror, and renders an S3 backup without a claim. */
class S3BackupSampleTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Path SAMPLE = Stacks.repoRoot().resolve("samples/s3-backups.yaml");

  @Test
  void theSampleIsValidAndRendersAnUploadingCronJobWithoutABackupClaim() throws Exception {
    assertThat(RenderCommand.problems(YAML.readTree(SAMPLE.toFile()))).isEmpty();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new RenderCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("-f", SAMPLE.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("name: \"pi-backup\"").contains("initContainers:")
        .contains("\"/opt/pi-operator/s3.sh\"").contains("value: \"acme-pi-backups\"")
        .contains("value: \"prod/pi/\"").contains("value: \"COMPLIANCE\"").contains("name: \"pi-s3\"")
        .doesNotContain("claimName: \"pi-backups\"");
  }

  @Test
  void anS3TargetWithVolumeFieldsIsReportedWithItsPath() throws Exception {
    JsonNode doc = YAML.readTree("""
        apiVersion: pistack.io/v1alpha1
        kind: PiStack
        metadata: {name: pi}
        spec:
          version: "2025_10.1"
          backup:
            enabled: true
            storage: {existingClaim: old, s3: {bucket: pi-backups}}
        """);
    assertThat(RenderCommand.problems(doc))
        .anyMatch(p -> p.startsWith("spec.backup.storage:") && p.contains("s3 excludes"));
    JsonNode badLock = YAML.readTree("""
        apiVersion: pistack.io/v1alpha1
        kind: PiStack
        metadata: {name: pi}
        spec:
          version: "2025_10.1"
          backup:
            enabled: true
            storage: {s3: {bucket: pi-backups, objectLock: {mode: FOREVER, days: 0}}}
        """);
    assertThat(RenderCommand.problems(badLock))
        .anyMatch(p -> p.contains("spec.backup.storage.s3.objectLock.mode"))
        .anyMatch(p -> p.contains("spec.backup.storage.s3.objectLock.days"));
  }
}
