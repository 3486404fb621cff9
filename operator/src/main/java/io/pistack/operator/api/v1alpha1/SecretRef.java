package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A Secret holding database credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretRef {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the Secret in the PiStack's namespace.")
  public String name;

  @JsonPropertyDescription("Key holding the user name. Default 'username'.")
  public String usernameKey;

  @JsonPropertyDescription("Key holding the password. Default 'password'.")
  public String passwordKey;
}
