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

/** samples/with-backups.yaml passes the CRD schema and the CEL mirror, and renders the backup objects. */
class BackupSampleTest {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final Path SAMPLE = Stacks.repoRoot().resolve("samples/with-backups.yaml");

  @Test
  void theSampleIsValidAndRendersTheBackupObjects() throws Exception {
    assertThat(RenderCommand.problems(YAML.readTree(SAMPLE.toFile()))).isEmpty();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = new CommandLine(new RenderCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
        .execute("-f", SAMPLE.toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("kind: \"CronJob\"").contains("name: \"pi-backup\"")
        .contains("name: \"pi-backups\"").doesNotContain("kind: \"ConfigMap\"")
        .contains("schedule: \"0 2 * * *\"").contains("timeZone: \"Europe/London\"");
  }

  @Test
  void badBackupAndRestoreSettingsAreReportedWithTheirPaths() throws Exception {
    JsonNode doc = YAML.readTree("""
        apiVersion: pistack.io/v1alpha1
        kind: PiStack
        metadata: {name: pi}
        spec:
          version: "2025_10.1"
          backup:
            enabled: true
            schedule: "every night"
            keep: 0
            storage: {existingClaim: old-backups, size: 10Gi}
          restore:
            force: true
        """);
    assertThat(RenderCommand.problems(doc))
        .anyMatch(p -> p.startsWith("spec.backup.schedule"))
        .anyMatch(p -> p.startsWith("spec.backup.keep"))
        .anyMatch(p -> p.startsWith("spec.backup.storage:") && p.contains("existingClaim"))
        .anyMatch(p -> p.startsWith("spec.restore") && p.contains("backup"));
  }

  @Test
  void cronMacrosAndRestoreNamesAreAccepted() throws Exception {
    JsonNode doc = YAML.readTree("""
        apiVersion: pistack.io/v1alpha1
        kind: PiStack
        metadata: {name: pi}
        spec:
          version: "2025_10.1"
          backup: {enabled: true, schedule: "@daily", storage: {existingClaim: old-backups}}
          restore: {backup: scheduled-20250131T020000Z}
        """);
    assertThat(RenderCommand.problems(doc)).isEmpty();
  }
}
