package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A Secret in the stack's namespace with an S3 access key. Referenced by the pods, never copied or read. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class S3CredentialsSpec {
  public static final String DEFAULT_ACCESS_KEY_ID_KEY = "AWS_ACCESS_KEY_ID";
  public static final String DEFAULT_SECRET_ACCESS_KEY_KEY = "AWS_SECRET_ACCESS_KEY";

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the Secret.")
  public String secretName;

  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Key of the access key id in the Secret. Default AWS_ACCESS_KEY_ID.")
  public String accessKeyIdKey;

  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Key of the secret access key in the Secret. Default AWS_SECRET_ACCESS_KEY.")
  public String secretAccessKeyKey;
}
