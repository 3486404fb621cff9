package io.pistack.operator.realapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.realapi.HostileCase.Expect;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The hostile catalogue's files are well formed (no API server needed): a header with a finding and a hostile act,
 * outcomes the runner knows with the keys each needs, objects that say their kind; at least 30 cases and every
 * finding of issue 23 covered.
 */
class HostileCatalogueFormatTest {
  static final Map<Expect, List<String>> KEYS = Map.of(
      Expect.rejected, List.of("field"), Expect.refused, List.of("field"), Expect.condition, List.of("condition"),
      Expect.untouched, List.of("foreign"), Expect.not_counted, List.of("decoys", "condition"),
      Expect.renders, List.of("renders"), Expect.policy, List.of("policy"), Expect.restart, List.of());

  @Test
  void everyCaseIsWellFormed() {
    for (HostileCase c : HostileCase.all()) {
      assertThat(c.finding()).as(c.file()).isBetween(1, 7);
      assertThat(c.file()).as("file names start with the finding").startsWith(c.finding() + "-");
      assertThat(c.what()).as(c.file()).isNotBlank();
      assertThat(c.expects()).as(c.file()).isNotEmpty();
      c.expects().forEach(e -> KEYS.get(e).forEach(k -> assertThat(c.get(k).isMissingNode())
          .as("%s: expect %s needs %s", c.file(), e, k).isFalse()));
      assertThat(c.objects()).as(c.file()).isNotEmpty()
          .allSatisfy(o -> assertThat(o.path("kind").asText()).as(c.file()).isNotBlank());
      c.when();
    }
  }

  @Test
  void atLeastThirtyCasesCoverEveryFinding() {
    List<HostileCase> all = HostileCase.all();
    assertThat(all).hasSizeGreaterThanOrEqualTo(30);
    Set<Integer> findings = all.stream().map(HostileCase::finding).collect(Collectors.toSet());
    assertThat(findings).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7);
  }

  @Test
  void theLooseCrdHasNoBoundsAndNoRulesButTheSameFields() {
    String strict = io.fabric8.kubernetes.client.utils.Serialization.asJson(LooseCrd.read());
    String loose = io.fabric8.kubernetes.client.utils.Serialization.asJson(LooseCrd.loosen(LooseCrd.read()));
    assertThat(strict).contains("\"maxLength\"", "\"x-kubernetes-validations\"", "\"maxItems\"");
    assertThat(loose).doesNotContain("\"maximum\"", "\"maxLength\"", "\"maxItems\"", "\"maxProperties\"",
        "\"x-kubernetes-validations\"").contains("\"replicas\"", "\"dashboardFrom\"", "\"openAPIV3Schema\"");
  }
}
