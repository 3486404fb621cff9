package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** CPU-driven horizontal autoscaling (autoscaling/v2). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.minReplicas) ? self.minReplicas : 1) <= (has(self.maxReplicas) ? self.maxReplicas : 3)",
    message = "autoscaling.minReplicas must not exceed autoscaling.maxReplicas")
public class AutoscalingSpec {
  public static final int DEFAULT_MIN = 1;
  public static final int DEFAULT_MAX = 3;
  public static final int DEFAULT_TARGET_CPU = 80;

  @JsonPropertyDescription("Scale on CPU. Default false. When on, the Deployment carries no replicas (a replicas"
      + " field is ignored, with a warning), and resources, when given, must include requests.cpu.")
  public Boolean enabled;

  @Min(1)
  @Max(ComponentSpec.MAX_REPLICAS)
  @JsonPropertyDescription("Fewest replicas. Default 1.")
  public Integer minReplicas;

  @Min(1)
  @Max(ComponentSpec.MAX_REPLICAS)
  @JsonPropertyDescription("Most replicas. Default 3.")
  public Integer maxReplicas;

  @Min(1)
  @Max(100)
  @JsonPropertyDescription("Target average CPU utilisation in percent of requests. Default 80.")
  public Integer targetCPUUtilizationPercentage;
}
