package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.crd.generator.annotation.PreserveUnknownFields;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** The embedded MariaDB: image, volume, sizing and placement of its pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Growing the volume, not shrinking it or changing its class: VolumeRules, on the spec.
public class EmbeddedDatabaseSpec {
  @JsonPropertyDescription("MariaDB image. Default docker.io/library/mariadb:10.11.")
  public String image;

  @Size(max = StorageSpec.SIZE_MAX_LENGTH)
  @Pattern(StorageSpec.QUANTITY_PATTERN)
  @ValidationRule(value = StorageSpec.POSITIVE, message = StorageSpec.POSITIVE_MESSAGE)
  @JsonPropertyDescription("Size of the database volume, more than 0. Default 10Gi. It can grow (the operator"
      + " grows the claim data-<stack>-db-0 in place; its storage class must allow volume expansion), never shrink.")
  public String storageSize;

  @Size(max = StorageSpec.CLASS_MAX_LENGTH)
  @JsonPropertyDescription("Storage class of the database volume. Default: the cluster default. Fixed once set.")
  public String storageClassName;

  // No CEL: a rule reading a quantity costs as much as a whole request (an int-or-string value has no bound the
  // API server's estimate honours), and seven such fields spent 71% of the CRD's cost budget. The operator checks
  // the same rules, with the same messages, before it applies anything (model.SpecValidator: InvalidSpec).
  @JsonPropertyDescription("Compute resources of the MariaDB container. Default 500m/1Gi requests, 2Gi limit."
      + " cpu and memory are Kubernetes quantities (4Gi or 4096Mi, 500m or 2; not 4096MB, and a number without a unit is bytes); memory at least 32Mi; each limit at least its request."
      + " Kubernetes ResourceRequirements: kubectl explain pod.spec.containers.resources")
  public ResourceRequirements resources;

  @JsonPropertyDescription("Node selector of the MariaDB pod.")
  public Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations of the MariaDB pod. Kubernetes Toleration: kubectl explain pod.spec.tolerations")
  public List<Toleration> tolerations;

  @SchemaFrom(type = Object.class)
  @PreserveUnknownFields
  @JsonPropertyDescription("Affinity of the MariaDB pod. Schemaless, checked by the operator. Kubernetes Affinity:"
      + " kubectl explain pod.spec.affinity")
  @JsonDeserialize(using = KubernetesShape.LenientAffinity.class)
  public Affinity affinity;

  @JsonPropertyDescription("PriorityClass of the MariaDB pod. It must exist. Default: none.")
  public String priorityClassName;

  @Size(max = Bounds.MAX_ENTRIES)
  @ValidationRule(value = "self.all(k, !k.startsWith('app.kubernetes.io/'))",
      message = "app.kubernetes.io/* labels are the operator's: choose another prefix")
  @JsonPropertyDescription("Labels added to the MariaDB pod. The operator's app.kubernetes.io/* labels are"
      + " reserved and refused.")
  public Map<String, String> podLabels;

  @JsonPropertyDescription("An existing Secret with the database credentials. When absent the operator"
      + " generates <stack>-db-credentials once and never rewrites it.")
  public SecretRef credentialsSecret;

  @SchemaFrom(type = Object.class)
  @PreserveUnknownFields
  @JsonPropertyDescription("Pod securityContext; each field given replaces the default's (docs/pods.md). Schemaless."
      + " Kubernetes PodSecurityContext: kubectl explain pod.spec.securityContext")
  @JsonDeserialize(using = KubernetesShape.LenientPodSecurityContext.class)
  public PodSecurityContext podSecurityContext;

  @SchemaFrom(type = Object.class)
  @PreserveUnknownFields
  @JsonPropertyDescription("Container securityContext; each field given replaces the default's (docs/pods.md). Schemaless."
      + " Kubernetes SecurityContext: kubectl explain pod.spec.containers.securityContext")
  @JsonDeserialize(using = KubernetesShape.LenientSecurityContext.class)
  public SecurityContext securityContext;
}
