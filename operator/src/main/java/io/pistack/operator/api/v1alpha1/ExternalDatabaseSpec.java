package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalDatabaseSpec {
  public static final String LOCALHOST_MESSAGE = LoopbackHost.MESSAGE;

  @Required
  @Pattern("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")
  @Size(max = 253)
  @ValidationRule(value = LoopbackHost.RULE, message = LoopbackHost.MESSAGE)
  @JsonPropertyDescription("Host name only (no ':port', no scheme), e.g. an RDS 'address', not its 'endpoint'."
      + " Never localhost: inside a pod that is the pod itself.")
  public String host;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Port. Default 3306.")
  public Integer port;

  @Pattern("^[A-Za-z0-9_]{1,64}$")
  @JsonPropertyDescription("Repository schema name. Default 'dashboard'.")
  public String schema;

  @Required
  @JsonPropertyDescription("Secret with the database user name and password.")
  public SecretRef credentialsSecret;

  @JsonPropertyDescription("True for MySQL / Aurora MySQL 8.0 (sets PI_DB_IS_MYSQL).")
  public Boolean mysql;
}
