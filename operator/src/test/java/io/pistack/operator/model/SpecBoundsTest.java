package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.SpecValidator.Problem;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bounds the CRD cannot afford, checked by the operator and reported naming the field. */
class SpecBoundsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aMinimalStackIsWithinBounds() {
    assertThat(SpecBounds.validate(TestStacks.minimal().getSpec())).isEmpty();
  }

  @Test
  void aListOverTheBoundIsOneProblemNamingTheList() {
    PiStack s = TestStacks.minimal();
    s.getSpec().renderer = new io.pistack.operator.api.v1alpha1.ScalableComponentSpec();
    List<JsonNode> volumes = new ArrayList<>();
    for (int i = 0; i <= SpecBounds.MAX_ENTRIES; i++) {
      volumes.add(JSON.createObjectNode().put("name", "v" + i).set("emptyDir", JSON.createObjectNode()));
    }
    s.getSpec().renderer.extraVolumes = volumes;
    assertThat(SpecValidator.validate(s)).extracting(Problem::path).containsExactly("spec.renderer.extraVolumes");
    volumes.remove(0);
    assertThat(SpecValidator.validate(s)).isEmpty();
  }

  @Test
  void aMapOverTheBoundIsRefusedNamingTheMap() {
    PiStack s = TestStacks.minimal();
    s.getSpec().scheduler = new io.pistack.operator.api.v1alpha1.SchedulerSpec();
    Map<String, String> annotations = new LinkedHashMap<>();
    for (int i = 0; i <= SpecBounds.MAX_ENTRIES; i++) {
      annotations.put("example.com/a" + i, "x");
    }
    s.getSpec().scheduler.podAnnotations = annotations;
    assertThat(SpecValidator.validate(s)).extracting(Problem::path).containsExactly("spec.scheduler.podAnnotations");
  }

  @Test
  void aLongStringAndALongObjectNameAreRefusedNamingTheField() {
    PiStack s = TestStacks.minimal();
    s.getSpec().excelReader = new io.pistack.operator.api.v1alpha1.ComponentSpec();
    s.getSpec().excelReader.serviceAccountName = "s".repeat(SpecBounds.MAX_NAME + 1);
    s.getSpec().dashboard = new io.pistack.operator.api.v1alpha1.DashboardSpec();
    s.getSpec().dashboard.image = "registry.example.com/" + "a".repeat(SpecBounds.MAX_STRING) + ":1";
    assertThat(SpecValidator.validate(s)).extracting(Problem::path)
        .containsExactlyInAnyOrder("spec.excelReader.serviceAccountName", "spec.dashboard.image");
    s.getSpec().excelReader.serviceAccountName = "s".repeat(SpecBounds.MAX_NAME);
    s.getSpec().dashboard.image = null;
    assertThat(SpecValidator.validate(s)).isEmpty();
  }
}
