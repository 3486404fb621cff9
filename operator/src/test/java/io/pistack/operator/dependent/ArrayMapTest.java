package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The small maps of cached objects (SlimCache.Compact) are ArrayMaps: a LinkedHashMap's behaviour (order, equality,
 * mutation, JSON) in one array. Checked against a LinkedHashMap doing the same operations.
 */
class ArrayMapTest {
  @Test
  void behavesAsALinkedHashMapUnderRandomOperations() {
    Random random = new Random(28);
    for (int run = 0; run < 200; run++) {
      Map<String, String> expected = new LinkedHashMap<>();
      for (int i = random.nextInt(6); i > 0; i--) {
        expected.put("k" + random.nextInt(8), "v" + i);
      }
      Map<String, String> actual = new ArrayMap<>(expected);
      for (int op = 0; op < 40; op++) {
        String key = random.nextInt(10) == 0 ? null : "k" + random.nextInt(8);
        String value = random.nextInt(10) == 0 ? null : "v" + op;
        switch (random.nextInt(6)) {
          case 0, 1 -> assertThat(actual.put(key, value)).isEqualTo(expected.put(key, value));
          case 2 -> assertThat(actual.remove(key)).isEqualTo(expected.remove(key));
          case 3 -> {
            Iterator<Map.Entry<String, String>> a = actual.entrySet().iterator();
            Iterator<Map.Entry<String, String>> e = expected.entrySet().iterator();
            while (e.hasNext()) {
              Map.Entry<String, String> ea = a.next();
              Map.Entry<String, String> ee = e.next();
              assertThat(ea).isEqualTo(ee);
              if (random.nextBoolean()) {
                a.remove();
                e.remove();
              } else if (random.nextBoolean()) {
                assertThat(ea.setValue("set" + op)).isEqualTo(ee.setValue("set" + op));
              }
            }
            assertThat(a.hasNext()).isFalse();
          }
          case 4 -> assertThat(actual.get(key)).isEqualTo(expected.get(key));
          default -> assertThat(actual.containsKey(key)).isEqualTo(expected.containsKey(key));
        }
        assertThat(actual).isEqualTo(expected).hasSameHashCodeAs(expected);
        assertThat(expected).isEqualTo(actual);
        assertThat(new ArrayList<>(actual.keySet())).isEqualTo(new ArrayList<>(expected.keySet()));
        assertThat(new ArrayList<>(actual.values())).isEqualTo(new ArrayList<>(expected.values()));
        assertThat(actual.toString()).isEqualTo(expected.toString());
      }
      if (random.nextInt(5) == 0) {
        actual.clear();
        expected.clear();
        assertThat(actual).isEmpty();
        actual.put("after", "clear");
        assertThat(actual).containsExactly(Map.entry("after", "clear"));
      }
    }
  }

  @Test
  void aCompactObjectsSmallMapsAreArrayMapsWithTheSameJsonAndLargeOnesStayHashed() {
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i <= ArrayMap.MAX; i++) {
      many.put("example.com/a" + i, "v" + i);
    }
    Deployment d = new Deployment();
    d.setMetadata(new ObjectMetaBuilder().withName("pi-dashboard").withNamespace("ns")
        .withLabels(Map.of("app.kubernetes.io/instance", "pi")).withAnnotations(many).build());
    String before = Serialization.asJson(d);
    Deployment copy = Serialization.unmarshal(before, Deployment.class);

    HasMetadata compact = SlimCache.child(copy);
    assertThat(compact.getMetadata().getLabels()).isInstanceOf(ArrayMap.class)
        .containsExactly(Map.entry("app.kubernetes.io/instance", "pi"));
    assertThat(compact.getMetadata().getAnnotations()).as("more than MAX entries").isInstanceOf(LinkedHashMap.class)
        .isEqualTo(many);
    assertThat(new ArrayList<>(compact.getMetadata().getAnnotations().keySet())).isEqualTo(new ArrayList<>(many.keySet()));
    assertThat(Serialization.asJson(compact)).isEqualTo(before);
    assertThat(compact).isEqualTo(Serialization.unmarshal(before, Deployment.class));
    // A copy made from it (a builder) is a map of its own.
    Deployment edited = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder((Deployment) compact)
        .editMetadata().addToLabels("example.com/x", "y").endMetadata().build();
    assertThat(compact.getMetadata().getLabels()).hasSize(1);
    assertThat(edited.getMetadata().getLabels()).hasSize(2);
    assertThat(List.of(compact.getMetadata().getLabels().get("app.kubernetes.io/instance"))).containsExactly("pi");
  }
}
