package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
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
  public static final String ENV_NAME_MESSAGE = "every env entry needs a name";
  public static final String TOLERATION_OPERATOR_MESSAGE = "a toleration's operator is Exists or Equal";
  public static final String TOLERATION_EFFECT_MESSAGE = "a toleration's effect is NoSchedule, PreferNoSchedule or"
      + " NoExecute";

  @JsonPropertyDescription("Run this component. Default true. Turning it off deletes its objects.")
  public Boolean enabled;

  @Min(0)
  @JsonPropertyDescription("Replicas when autoscaling is off. Defaults: dashboard 3, others 1.")
  public Integer replicas;

  @JsonPropertyDescription("Full image reference overriding <registry>/<image>:<version> for this component.")
  public String image;

  @ValidationRule(value = ResourceRules.QUANTITIES, message = ResourceRules.QUANTITIES_MESSAGE)
  @ValidationRule(value = ResourceRules.MEMORY, message = ResourceRules.MEMORY_MESSAGE)
  @ValidationRule(value = ResourceRules.LIMITS_COVER_REQUESTS, message = ResourceRules.LIMITS_COVER_REQUESTS_MESSAGE)
  @JsonPropertyDescription("Compute resources. Defaults follow the vendor's sizing table."
      + " cpu and memory are Kubernetes quantities (4Gi or 4096Mi, 500m or 2; not 4096MB, and a number without a unit is bytes); memory at least 32Mi; each limit at least its request.")
  public ResourceRequirements resources;

  @Size(max = 200)
  @ValidationRule(value = "self.all(e, has(e.name) && e.name.size() > 0)", message = ComponentSpec.ENV_NAME_MESSAGE)
  @JsonPropertyDescription("Extra environment variables; they win over the operator's own of the same name."
      + " Every entry needs a name. Never put a password here: use valueFrom.secretKeyRef.")
  public List<EnvVar> env;

  @JsonPropertyDescription("Annotations added to the component's pods. Keys are Kubernetes keys such as"
      + " example.com/name.")
  public Map<String, String> podAnnotations;

  @JsonPropertyDescription("Node selector of the component's pods. Keys are Kubernetes keys, values label values"
      + " (at most 63 letters, digits, '-', '_', '.').")
  public Map<String, String> nodeSelector;

  @Size(max = 50)
  @ValidationRule(value = "self.all(t, !has(t.operator) || t.operator in ['', 'Exists', 'Equal'])",
      message = ComponentSpec.TOLERATION_OPERATOR_MESSAGE)
  @ValidationRule(value = "self.all(t, !has(t.effect) || t.effect in ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'])",
      message = ComponentSpec.TOLERATION_EFFECT_MESSAGE)
  @JsonPropertyDescription("Tolerations of the component's pods: operator Exists or Equal, effect NoSchedule,"
      + " PreferNoSchedule or NoExecute.")
  public List<Toleration> tolerations;

  @JsonPropertyDescription("Affinity of the component's pods.")
  public Affinity affinity;
}
