package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A component that may autoscale on CPU (dashboard, renderer, analytics). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.autoscaling) || !has(self.autoscaling.enabled) || !self.autoscaling.enabled"
    + " || !has(self.resources) || (has(self.resources.requests) && 'cpu' in self.resources.requests)",
    message = ScalableComponentSpec.AUTOSCALING_CPU_MESSAGE, fieldPath = ".resources")
public class ScalableComponentSpec extends ComponentSpec {
  public static final String AUTOSCALING_CPU_MESSAGE = "autoscaling needs resources.requests.cpu: the autoscaler"
      + " measures CPU use as a share of the request";

  @JsonPropertyDescription("CPU-driven autoscaling.")
  public AutoscalingSpec autoscaling;
}
