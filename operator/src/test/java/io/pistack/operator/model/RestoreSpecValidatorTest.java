package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the CRD leaves to the operator in spec.restore (its size budget): each problem with its field path. */
class RestoreSpecValidatorTest {
  static List<String> problems(String specYaml) {
    return SpecValidator.validate(TestStacks.of("  version: \"2025_10.1\"\n" + specYaml)).stream()
        .map(Object::toString).toList();
  }

  @Test
  void aWellFormedCloneHasNoProblem() {
    assertThat(problems("  backup: {enabled: true, cloneAllowedNamespaces: [staging]}\n"
        + "  restore: {before: \"2026-12-07T09:00:00+01:00\", source: {namespace: prod, stack: pi,"
        + " credentials: {secretName: prod-read}}, afterRestoreSql: {configMap: scrub, key: scrub.sql}}\n"))
        .isEmpty();
    assertThat(problems("  restore: {backup: latest, source: {s3: {bucket: acme, prefix: prod/pi/}}}\n")).isEmpty();
  }

  @Test
  void eachMalformedFieldIsNamed() {
    assertThat(problems("  restore: {force: true}\n")).contains("spec.restore: exactly one of backup, piBackup, before");
    assertThat(problems("  restore: {piBackup: x, before: \"2026-12-07T09:00:00Z\"}\n"))
        .contains("spec.restore: exactly one of backup, piBackup, before");
    assertThat(problems("  restore: {before: yesterday}\n")).anyMatch(p -> p.startsWith("spec.restore.before:"
        + " 'yesterday' is not an RFC 3339 time"));
    assertThat(problems("  restore: {piBackup: Bad_Name}\n")).anyMatch(p -> p.startsWith("spec.restore.piBackup:"));
    assertThat(problems("  restore: {backup: latest, source: {namespace: prod}}\n"))
        .contains("spec.restore.source: exactly one of stack and s3");
    assertThat(problems("  restore: {before: \"2026-12-07T09:00:00Z\", source: {s3: {bucket: Bad}}}\n"))
        .anyMatch(p -> p.startsWith("spec.restore.source.s3: piBackup and before choose among PiBackup objects"))
        .anyMatch(p -> p.startsWith("spec.restore.source.s3.bucket: 'Bad' must match"));
    assertThat(problems("  restore: {backup: latest, source: {stack: pi, credentials: {}}}\n"))
        .contains("spec.restore.source.credentials.secretName: required");
    assertThat(problems("  restore: {backup: latest, afterRestoreSql: {configMap: cm}}\n"))
        .contains("spec.restore.afterRestoreSql.key: required");
    assertThat(problems("  backup: {enabled: true, cloneAllowedNamespaces: [Staging]}\n"))
        .anyMatch(p -> p.startsWith("spec.backup.cloneAllowedNamespaces[0]: 'Staging' must match"));
  }
}
