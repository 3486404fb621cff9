package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComponentStatus {
  @JsonPropertyDescription("Replicas the component's Deployment asks for (spec.replicas, or the autoscaler's count).")
  public Integer desiredReplicas;

  @JsonPropertyDescription("Pods of the component that are ready.")
  public Integer readyReplicas;

  @JsonPropertyDescription("Pods of the component that run the current pod template.")
  public Integer updatedReplicas;

  @JsonPropertyDescription("Pods of the component that are available (ready for minReadySeconds).")
  public Integer availableReplicas;

  @JsonPropertyDescription("Image of the component's pod template.")
  public String image;

  @JsonPropertyDescription("The last active health probe of the component's Service.")
  public HealthProbeStatus health;

  @Override
  public boolean equals(Object o) {
    return o instanceof ComponentStatus c
        && Objects.equals(desiredReplicas, c.desiredReplicas)
        && Objects.equals(readyReplicas, c.readyReplicas)
        && Objects.equals(updatedReplicas, c.updatedReplicas)
        && Objects.equals(availableReplicas, c.availableReplicas)
        && Objects.equals(image, c.image)
        && Objects.equals(health, c.health);
  }

  @Override
  public int hashCode() {
    return Objects.hash(desiredReplicas, readyReplicas, updatedReplicas, availableReplicas, image, health);
  }
}
