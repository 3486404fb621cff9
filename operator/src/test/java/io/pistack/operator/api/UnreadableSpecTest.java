package io.pistack.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.UnreadableSpec;
import io.pistack.operator.model.SpecValidator;
import io.pistack.operator.model.SpecValidator.Problem;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** A spec the typed model cannot read is that stack's InvalidSpec (the field named), never a failed read. */
class UnreadableSpecTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  static String stack(String name, String specTail) {
    return "{\"apiVersion\":\"pistack.io/v1alpha1\",\"kind\":\"PiStack\",\"metadata\":{\"name\":\"" + name
        + "\",\"namespace\":\"t\"},\"spec\":{\"version\":\"2025_10.1\"" + specTail + "}}";
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      ",\"renderer\":{\"replicas\":2147483648}                     | spec.renderer.replicas",
      ",\"backup\":{\"resources\":{\"requests\":{\"cpu\":\"\"}}}   | spec.backup.resources.requests.cpu",
      ",\"dashboard\":{\"resources\":{\"limits\":{\"ephemeral-storage\":\"\"}}} | spec.dashboard.resources.limits.ephemeral-storage",
      ",\"analytics\":{\"env\":[{\"name\":\"A\"},{\"name\":\"B\",\"valueFrom\":{\"resourceFieldRef\":{\"resource\":\"limits.cpu\",\"divisor\":\"\"}}}]} | spec.analytics.env[1].valueFrom.resourceFieldRef.divisor",
      ",\"scheduler\":{\"topologySpreadConstraints\":[{\"maxSkew\":2147483648}]} | spec.scheduler.topologySpreadConstraints[0].maxSkew",
      ",\"dashboard\":{\"tomcatMaxMemoryMb\":99999999999}            | spec.dashboard.tomcatMaxMemoryMb",
  })
  void anUnreadableValueIsThatStacksInvalidSpecNamingTheField(String specTail, String path) {
    PiStack s = JSON.unmarshal(stack("bad", specTail.strip()), PiStack.class);

    assertThat(s.getSpec()).isInstanceOf(UnreadableSpec.class);
    assertThat(SpecValidator.validate(s)).singleElement().satisfies(p -> {
      assertThat(p.path()).isEqualTo(path.strip());
      assertThat(p.message()).startsWith("the operator cannot read this value: it expects ")
          .doesNotContainPattern("java|fasterxml|fabric8|Source:");
      assertThat(p.stage()).isEqualTo(SpecValidator.Stage.OPERATOR);
    });
  }

  @Test
  void oneUnreadableStackInAListLeavesTheOthersReadable() {
    String list = "{\"apiVersion\":\"pistack.io/v1alpha1\",\"kind\":\"PiStackList\",\"items\":["
        + stack("good", ",\"renderer\":{\"replicas\":2}") + ","
        + stack("bad", ",\"renderer\":{\"replicas\":2147483648}") + "]}";
    // The informer's initial LIST: one response, every stack in it.
    KubernetesResourceList<PiStack> read = JSON.unmarshal(new java.io.ByteArrayInputStream(list.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new com.fasterxml.jackson.core.type.TypeReference<DefaultKubernetesResourceList<PiStack>>() {});
    List<PiStack> items = read.getItems();
    assertThat(items).extracting(i -> i.getMetadata().getName()).containsExactly("good", "bad");
    assertThat(items.get(0).getSpec().renderer.replicas).isEqualTo(2);
    assertThat(SpecValidator.validate(items.get(0))).isEmpty();
    assertThat(SpecValidator.validate(items.get(1))).extracting(Problem::path).containsExactly("spec.renderer.replicas");
  }

  @Test
  void aCopyThroughJsonStaysUnreadableNamingTheSameField() {
    // JOSDK clones a cached resource by serializing and reading it back.
    PiStack s = JSON.unmarshal(stack("bad", ",\"backup\":{\"resources\":{\"requests\":{\"cpu\":\"\"}}}"), PiStack.class);
    PiStack copy = JSON.clone(s);
    assertThat(copy.getSpec()).isInstanceOf(UnreadableSpec.class);
    assertThat(SpecValidator.validate(copy)).extracting(Problem::path).containsExactly("spec.backup.resources.requests.cpu");
    assertThat(JSON.asJson(copy)).contains("\"cpu\":\"\"");
  }

  @Test
  void aReadableSpecIsReadAsBefore() {
    PiStack s = JSON.unmarshal(stack("ok", ",\"renderer\":{\"replicas\":3}"), PiStack.class);
    assertThat(s.getSpec()).isNotInstanceOf(UnreadableSpec.class);
    assertThat(s.getSpec().renderer.replicas).isEqualTo(3);
    assertThat(JSON.asJson(s)).contains("\"replicas\":3");
  }
}
