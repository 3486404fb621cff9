package io.pistack.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.admissionregistration.v1.Validation;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.api.v1alpha1.ResourceRules;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's admission policy for the rules the CRD cannot afford (templates/admissionpolicy.yaml) carries the
 * operator's messages word for word; AdmissionPolicyOnRealApiTest runs it on a real API server.
 */
class AdmissionPolicyChartTest {

  @Test
  void itCarriesTheOperatorsMessages() {
    ValidatingAdmissionPolicy p = Chart.render(Map.of()).one(ValidatingAdmissionPolicy.class);
    List<String> messages = p.getSpec().getValidations().stream()
        .map(v -> (v.getMessage() == null ? "" : v.getMessage()) + (v.getMessageExpression() == null ? ""
            : v.getMessageExpression()).replaceAll("\\s+", " "))
        .toList();
    assertThat(messages).hasSize(5);
    for (String m : List.of(ResourceRules.QUANTITIES_MESSAGE, ResourceRules.MEMORY_MESSAGE,
        ResourceRules.LIMITS_COVER_REQUESTS_MESSAGE, "spec.dashboard.tomcatMaxMemoryMb: " + DashboardSpec.HEAP_MESSAGE,
        "spec.dashboard.resources: " + DashboardSpec.DERIVED_HEAP_MESSAGE)) {
      assertThat(messages).as("a validation whose message is '%s'", m).anyMatch(x -> x.contains(m));
    }
    assertThat(p.getSpec().getValidations()).extracting(Validation::getReason).containsOnly("Invalid");
    assertThat(p.getSpec().getFailurePolicy()).isEqualTo("Ignore");
  }

  @Test
  void itIsBoundToTheWatchedNamespacesOrEverywhereAndCanBeTurnedOff() {
    ValidatingAdmissionPolicyBinding everywhere = Chart.render(Map.of()).one(ValidatingAdmissionPolicyBinding.class);
    assertThat(everywhere.getSpec().getMatchResources()).isNull();
    assertThat(everywhere.getSpec().getValidationActions()).containsExactly("Deny");
    ValidatingAdmissionPolicyBinding namespaced = Chart.render(Map.of("watchNamespaces", List.of("team-a", "team-b")))
        .one(ValidatingAdmissionPolicyBinding.class);
    assertThat(namespaced.getSpec().getMatchResources().getNamespaceSelector().getMatchExpressions())
        .singleElement().satisfies(e -> {
          assertThat(e.getKey()).isEqualTo("kubernetes.io/metadata.name");
          assertThat(e.getValues()).containsExactly("team-a", "team-b");
        });
    assertThat(Chart.render(Map.of("admissionPolicy", Map.of("enabled", false)))
        .all(ValidatingAdmissionPolicy.class)).isEmpty();
  }
}
