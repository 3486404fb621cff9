package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A component that may autoscale on CPU (dashboard, renderer, analytics). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ScalableComponentSpec extends ComponentSpec {
  @JsonPropertyDescription("CPU-driven autoscaling.")
  public AutoscalingSpec autoscaling;
}
