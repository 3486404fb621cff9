package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The spec stage's one model call: problems first, then refusals, advice only for a spec that is applied. */
class SpecCheckTest {
  private static final String REFUSED_AND_ADVISED = """
      version: latest
      dashboard:
        extraVolumes: [{name: root, hostPath: {path: /}}]
    """;

  @Test
  void anInvalidSpecGetsItsProblemsOnly() {
    SpecCheck check = SpecCheck.of(TestStacks.resolved("  version: \"not a version\"\n"), OperatorPolicy.PERMISSIVE);
    assertThat(check.problems()).singleElement().asString().startsWith("spec.version: ");
    assertThat(check.refused()).isEmpty();
    assertThat(check.advice()).isEmpty();
  }

  @Test
  void aRefusedSpecGetsItsRefusalsAndNoAdvice() {
    SpecCheck check = SpecCheck.of(TestStacks.resolved(REFUSED_AND_ADVISED), OperatorPolicy.DEFAULT);
    assertThat(check.problems()).isEmpty();
    assertThat(check.refused()).singleElement().asString().contains("spec.dashboard.extraVolumes[0].hostPath");
    assertThat(check.advice()).isEmpty();
  }

  @Test
  void anAppliedSpecGetsItsAdvice() {
    SpecCheck check = SpecCheck.of(TestStacks.resolved(REFUSED_AND_ADVISED), OperatorPolicy.PERMISSIVE);
    assertThat(check.problems()).isEmpty();
    assertThat(check.refused()).isEmpty();
    assertThat(check.advice()).extracting(SpecWarnings.Warning::reason).containsExactly(SpecWarnings.UNPINNED_VERSION);
  }
}
