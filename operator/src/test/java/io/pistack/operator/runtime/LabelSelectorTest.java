package io.pistack.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {
  @Test
  void everyFormKubectlTakes() {
    LabelSelector s = parse("pistack.io/shard in (a, b),tier!=test,!legacy,team=x,owner");
    assertThat(s.terms()).hasSize(5);
    assertThat(s.matches(Map.of("pistack.io/shard", "a", "team", "x", "owner", "o"))).isTrue();
    assertThat(s.matches(Map.of("pistack.io/shard", "c", "team", "x", "owner", "o"))).isFalse();
    assertThat(s.matches(Map.of("pistack.io/shard", "b", "team", "x", "owner", "o", "legacy", ""))).isFalse();
    assertThat(s.matches(Map.of("pistack.io/shard", "b", "team", "x", "owner", "o", "tier", "test"))).isFalse();
    assertThat(parse("a notin (x)").matches(Map.of())).isTrue();
    assertThat(parse("a==b").matches(Map.of("a", "b"))).isTrue();
    assertThat(parse("a=").matches(Map.of("a", ""))).isTrue();
  }

  @Test
  void aTypoIsNamed() {
    for (String bad : List.of("a in b", "=x", "a=b=c", "a in ()", " , ", "a b", "in (x)x")) {
      List<String> problems = new ArrayList<>();
      assertThat(LabelSelector.parse(bad, problems)).as(bad).isEmpty();
      assertThat(problems).as(bad).isNotEmpty();
    }
  }

  private static LabelSelector parse(String text) {
    List<String> problems = new ArrayList<>();
    return LabelSelector.parse(text, problems).orElseThrow(() -> new AssertionError(problems));
  }
}
