package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** The scheduler: a single instance, never autoscaled (the vendor advises against more than one). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.replicas) || self.replicas <= 1",
    message = "the scheduler runs at most one replica")
@ValidationRule(value = "!has(self.autoscaling) || !has(self.autoscaling.enabled) || !self.autoscaling.enabled",
    message = "the scheduler cannot autoscale: it must run as a single instance")
public class SchedulerSpec extends ComponentSpec {
  @JsonPropertyDescription("Not supported: present only so that enabling it is rejected.")
  public AutoscalingSpec autoscaling;
}
