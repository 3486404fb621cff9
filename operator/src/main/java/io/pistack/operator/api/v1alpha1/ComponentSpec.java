package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** Settings every Pi component shares. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComponentSpec {
  @JsonPropertyDescription("Run this component. Default true (qdrant: false, it is optional). Turning it off"
      + " deletes its objects, but never its data volume.")
  public Boolean enabled;

  @Min(0)
  @JsonPropertyDescription("Replicas when autoscaling is off. Defaults: dashboard 3, others 1 (scheduler and qdrant"
      + " at most 1).")
  public Integer replicas;

  @JsonPropertyDescription("Full image reference overriding <registry>/<image>:<version> for this component"
      + " (qdrant: overriding docker.io/qdrant/qdrant at the tag the operator pins).")
  public String image;

  @JsonPropertyDescription("Compute resources. Defaults follow the vendor's sizing table.")
  public ResourceRequirements resources;

  @JsonPropertyDescription("Extra environment variables; they win over the operator's own of the same name.")
  public List<EnvVar> env;

  @JsonPropertyDescription("Annotations added to the component's pods.")
  public Map<String, String> podAnnotations;

  @JsonPropertyDescription("Node selector of the component's pods.")
  public Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations of the component's pods.")
  public List<Toleration> tolerations;

  @JsonPropertyDescription("Affinity of the component's pods.")
  public Affinity affinity;
}
