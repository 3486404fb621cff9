package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.api.v1alpha1.DatabaseSpec;
import io.pistack.operator.api.v1alpha1.EmbeddedDatabaseSpec;
import io.pistack.operator.api.v1alpha1.ExternalDatabaseSpec;
import io.pistack.operator.api.v1alpha1.IngressSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import io.pistack.operator.api.v1alpha1.SchedulerSpec;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import io.pistack.operator.model.SpecValidator.Problem;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  @Test
  void aMinimalStackIsValid() {
    assertThat(SpecValidator.validate(TestStacks.minimal())).isEmpty();
    assertThat(SpecWarnings.of(new ResolvedStack(TestStacks.minimal()))).isEmpty();
  }

  @Test
  void everyCrossFieldRuleReportsItsFieldPath() {
    PiStack s = TestStacks.minimal();
    s.getSpec().version = null;
    s.getSpec().storage = new StorageSpec();
    s.getSpec().storage.size = "4Gi";
    s.getSpec().scheduler = new SchedulerSpec();
    s.getSpec().scheduler.replicas = 2;
    s.getSpec().scheduler.autoscaling = new AutoscalingSpec();
    s.getSpec().scheduler.autoscaling.enabled = true;
    s.getSpec().renderer = new ScalableComponentSpec();
    s.getSpec().renderer.autoscaling = new AutoscalingSpec();
    s.getSpec().renderer.autoscaling.minReplicas = 5;
    s.getSpec().renderer.autoscaling.maxReplicas = 2;
    s.getSpec().ingress = new IngressSpec();
    s.getSpec().ingress.tlsSecretName = "x";
    s.getSpec().database = new DatabaseSpec();
    s.getSpec().database.external = new ExternalDatabaseSpec();
    s.getSpec().database.external.host = "db.example.com:3306";
    s.getSpec().database.embedded = new EmbeddedDatabaseSpec();
    assertThat(SpecValidator.validate(s)).extracting(Problem::path).containsExactlyInAnyOrder(
        "spec.version", "spec.storage.size", "spec.scheduler.replicas", "spec.scheduler.autoscaling",
        "spec.renderer.autoscaling", "spec.ingress.tlsSecretName", "spec.database",
        "spec.database.external.host", "spec.database.external.credentialsSecret");
    assertThat(SpecValidator.validate(s)).filteredOn(p -> p.path().equals("spec.database.external.host"))
        .singleElement().satisfies(p -> assertThat(p.message()).contains("host name only"));
  }

  @Test
  void latestIsWarnedAbout() {
    PiStack s = TestStacks.minimal();
    s.getSpec().version = "latest";
    assertThat(SpecValidator.validate(s)).isEmpty();
    assertThat(SpecWarnings.of(new ResolvedStack(s))).singleElement().asString().contains("not pinned");
  }

  @Test
  void fiveGiIsEnoughAndGarbageIsReported() {
    PiStack s = TestStacks.minimal();
    s.getSpec().storage = new StorageSpec();
    s.getSpec().storage.size = "5120Mi";
    assertThat(SpecValidator.validate(s)).isEmpty();
    s.getSpec().storage.size = "lots";
    assertThat(SpecValidator.validate(s)).extracting(Problem::path).containsExactly("spec.storage.size");
  }
}
