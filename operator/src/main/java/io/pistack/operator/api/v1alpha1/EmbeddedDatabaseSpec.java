package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonInclude(JsonInclude.Include.NON_NULL)
// A transition rule (only on update, when the section existed before): the API server would refuse
// the StatefulSet's changed volume claim template, half-way through a reconcile.
@ValidationRule(value = "(has(self.storageSize) ? self.storageSize : '10Gi') == (has(oldSelf.storageSize)"
    + " ? oldSelf.storageSize : '10Gi') && (has(self.storageClassName) ? self.storageClassName : '')"
    + " == (has(oldSelf.storageClassName) ? oldSelf.storageClassName : '')",
    message = EmbeddedDatabaseSpec.VOLUME_FIXED_MESSAGE)
public class EmbeddedDatabaseSpec {
  public static final String VOLUME_FIXED_MESSAGE = "database.embedded.storageSize and storageClassName cannot change"
      + " once set: the database's StatefulSet cannot change its volume claim template; resize the claim"
      + " data-<stack>-db-0 instead";

  @JsonPropertyDescription("MariaDB image. Default docker.io/library/mariadb:10.11.")
  public String image;

  @Pattern(StorageSpec.QUANTITY_PATTERN)
  @ValidationRule(value = StorageSpec.POSITIVE, message = StorageSpec.POSITIVE_MESSAGE)
  @JsonPropertyDescription("Size of the database volume, more than 0. Default 10Gi. Fixed once the database"
      + " exists (a StatefulSet's volume claim template cannot change): resize the claim data-<stack>-db-0 instead.")
  public String storageSize;

  @JsonPropertyDescription("Storage class of the database volume. Default: the cluster default.")
  public String storageClassName;

  @ValidationRule(value = ResourceRules.QUANTITIES, message = ResourceRules.QUANTITIES_MESSAGE)
  @ValidationRule(value = ResourceRules.MEMORY, message = ResourceRules.MEMORY_MESSAGE)
  @ValidationRule(value = ResourceRules.LIMITS_COVER_REQUESTS, message = ResourceRules.LIMITS_COVER_REQUESTS_MESSAGE)
  @JsonPropertyDescription("Compute resources of the MariaDB container. Default 500m/1Gi requests, 2Gi limit."
      + " cpu and memory are Kubernetes quantities (4Gi or 4096Mi, 500m or 2; not 4096MB, and a number without a unit is bytes); memory at least 32Mi; each limit at least its request.")
  public ResourceRequirements resources;

  @JsonPropertyDescription("An existing Secret with the database credentials. When absent the operator"
      + " generates <stack>-db-credentials once and never rewrites it.")
  public SecretRef credentialsSecret;
}
