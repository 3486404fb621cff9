package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import io.pistack.operator.model.SpecValidator.Problem;
import io.pistack.operator.model.SpecValidator.Stage;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The checks behind SpecValidator: no false alarms on what Kubernetes accepts. */
class ValidationChecksTest {
  @ParameterizedTest
  @ValueSource(strings = {"0 2 * * *", "*/15 * * * *", "0 2 * * MON-FRI", "0 0 1,15 * *", "0 2 * * 0", "@daily",
      "0 22 * * 1-5", "5 4 * * sun", "0 0 ? * *", "0-30/5 * * * *", "0 3 1 JAN-MAR *", "59 23 31 12 6", "@hourly"})
  void validSchedulesPass(String schedule) {
    assertThat(CronCheck.problem(schedule)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"60 2 * * *", "0 24 * * *", "0 2 0 * *", "0 2 * 0 *", "0 2 * * 7", "0 2 * * FRX",
      "*/0 * * * *", "5-1 * * * *", "0 2 * *", "@nightly", "0 2 * * 1--2", "a b c d e"})
  void invalidSchedulesNameTheField(String schedule) {
    assertThat(CronCheck.problem(schedule)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"4Gi", "4096Mi", "500m", "2", "1.5Gi", "0.5", "1e3", "100M", "1k", "+1"})
  void kubernetesQuantitiesParse(String q) {
    assertThat(QuantityCheck.amount(q)).isPresent();
    assertThat(QuantityCheck.amount(new Quantity(q))).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"4096MB", "4GB", "4Gb", "1gi", "512 Mi", "two", "", "Gi", "1.2.3"})
  void otherTextIsNotAQuantity(String q) {
    assertThat(QuantityCheck.amount(q)).isEmpty();
  }

  @Test
  void keysAndValuesPassedThroughToKubernetes() {
    assertThat(KubernetesForms.qualifiedName("example.com/name")).isEmpty();
    assertThat(KubernetesForms.qualifiedName("nginx.ingress.kubernetes.io/affinity")).isEmpty();
    assertThat(KubernetesForms.qualifiedName("my key")).isPresent();
    assertThat(KubernetesForms.qualifiedName("Example.com/x")).isPresent();
    assertThat(KubernetesForms.labelValue("")).isTrue();
    assertThat(KubernetesForms.labelValue("big nodes")).isFalse();
    assertThat(KubernetesForms.envName("PI_DB_HOST")).isTrue();
    assertThat(KubernetesForms.envName("1ABC")).isFalse();
  }

  @Test
  void aStackWithMemoryInMbIsRefusedAtTheFieldNotWithAnException() {
    PiStack s = TestStacks.minimal();
    s.getSpec().dashboard = new DashboardSpec();
    s.getSpec().dashboard.resources = new ResourceRequirementsBuilder()
        .addToLimits("memory", new Quantity("4096MB")).build();
    List<Problem> p = SpecValidator.validate(s);
    assertThat(p).extracting(Problem::path).containsExactly("spec.dashboard.resources.limits.memory");
    assertThat(p.get(0).stage()).as("the CRD's CEL cannot afford a rule reading a quantity").isEqualTo(Stage.OPERATOR);
    assertThat(p.get(0).message()).contains("4096MB").contains("Mi or Gi");
  }

  @Test
  void warningsNameTheirFieldAndNeverTheSecretValue() {
    PiStack s = TestStacks.minimal();
    s.getSpec().dashboard = new DashboardSpec();
    s.getSpec().dashboard.env = List.of(new EnvVar("PI_DB_PASSWORD", "hunter2", null));
    s.getSpec().dashboard.replicas = 4;
    s.getSpec().dashboard.autoscaling = new AutoscalingSpec();
    s.getSpec().dashboard.autoscaling.enabled = true;
    s.getSpec().storage = new StorageSpec();
    s.getSpec().storage.accessModes = List.of(StorageSpec.AccessMode.ReadWriteOnce);
    assertThat(SpecValidator.validate(s)).isEmpty();
    assertThat(SpecWarnings.of(new ResolvedStack(s))).extracting(SpecWarnings.Warning::reason).containsExactlyInAnyOrder(
        SpecWarnings.LITERAL_SECRET, SpecWarnings.REPLICAS_IGNORED, SpecWarnings.SHARED_VOLUME_NOT_SHARED);
    assertThat(SpecWarnings.of(new ResolvedStack(s))).extracting(Object::toString)
        .anySatisfy(w -> assertThat(w).startsWith("spec.dashboard.env[0].value: PI_DB_PASSWORD"))
        .allSatisfy(w -> assertThat(w).doesNotContain("hunter2"));
  }
}
