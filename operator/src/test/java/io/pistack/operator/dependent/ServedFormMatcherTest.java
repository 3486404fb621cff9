package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the API server drops or defaults matches; what we never applied or stopped sending does not. */
class ServedFormMatcherTest {

  private static Map<String, Object> m(Object... kv) {
    Map<String, Object> map = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      map.put((String) kv[i], kv[i + 1]);
    }
    return map;
  }

  @Test
  void emptyValuesTheServerDroppedMatch() {
    assertThat(ServedFormMatcher.same(m("stdin", null, "workingDir", null, "args", null, "name", "a"),
        m("stdin", false, "workingDir", "", "args", List.of(), "name", "a"), "")).isTrue();
  }

  @Test
  void joSdksEmptyEnvValueMatchesAnEntryWithoutOne() {
    Map<String, Object> ref = m("secretKeyRef", m("name", "s", "key", "k"));
    assertThat(ServedFormMatcher.same(List.of(m("name", "A", "value", "", "valueFrom", ref)),
        List.of(m("name", "A", "valueFrom", ref)), "env")).isTrue();
  }

  @Test
  void aDefaultInsideAnAtomicStructMatches() {
    assertThat(ServedFormMatcher.same(m("fieldRef", m("apiVersion", "v1", "fieldPath", "status.podIP")),
        m("fieldRef", m("fieldPath", "status.podIP")), "")).isTrue();
    assertThat(ServedFormMatcher.same(m("fieldRef", m("apiVersion", "v2", "fieldPath", "status.podIP")),
        m("fieldRef", m("fieldPath", "status.podIP")), "")).isFalse();
  }

  @Test
  void aFieldNeverAppliedOrNoLongerSentOrChangedDoesNotMatch() {
    assertThat(ServedFormMatcher.same(m("name", "a"), m("name", "a", "allowPrivilegeEscalation", false), ""))
        .as("a new false is applied").isFalse();
    assertThat(ServedFormMatcher.same(m("name", "a", "tty", true), m("name", "a"), "")).isFalse();
    assertThat(ServedFormMatcher.same(m("tty", true), m("tty", false), "")).isFalse();
    assertThat(ServedFormMatcher.same(m("stdin", null), m("stdin", true), "")).isFalse();
    assertThat(ServedFormMatcher.same(List.of(m("a", 1)), List.of(m("a", 1), m("a", 2)), "")).isFalse();
  }
}
