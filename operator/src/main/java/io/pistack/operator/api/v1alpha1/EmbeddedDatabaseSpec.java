package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** The embedded MariaDB: image, volume, sizing and placement of its pod. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EmbeddedDatabaseSpec {
  @JsonPropertyDescription("MariaDB image. Default docker.io/library/mariadb:10.11.")
  public String image;

  @Pattern(StorageSpec.QUANTITY_PATTERN)
  @JsonPropertyDescription("Size of the database volume. Default 10Gi.")
  public String storageSize;

  @JsonPropertyDescription("Storage class of the database volume. Default: the cluster default.")
  public String storageClassName;

  @JsonPropertyDescription("Compute resources of the MariaDB container. Default 500m/1Gi requests, 2Gi limit.")
  public ResourceRequirements resources;

  @JsonPropertyDescription("Node selector of the MariaDB pod.")
  public Map<String, String> nodeSelector;

  @JsonPropertyDescription("Tolerations of the MariaDB pod.")
  public List<Toleration> tolerations;

  @JsonPropertyDescription("Affinity of the MariaDB pod.")
  public Affinity affinity;

  @JsonPropertyDescription("PriorityClass of the MariaDB pod. It must exist. Default: none.")
  public String priorityClassName;

  @ValidationRule(value = "self.all(k, !k.startsWith('app.kubernetes.io/'))",
      message = "app.kubernetes.io/* labels are the operator's: choose another prefix")
  @JsonPropertyDescription("Labels added to the MariaDB pod. The operator's app.kubernetes.io/* labels are"
      + " reserved and refused.")
  public Map<String, String> podLabels;

  @JsonPropertyDescription("An existing Secret with the database credentials. When absent the operator"
      + " generates <stack>-db-credentials once and never rewrites it.")
  public SecretRef credentialsSecret;
}
