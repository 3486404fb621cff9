package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.tlsSecretName) || has(self.host)", message = "ingress TLS needs a host")
@ValidationRule(value = "!has(self.enabled) || !self.enabled || has(self.host)",
    message = "an enabled ingress needs a host (the dashboard's public address drives PI_PROXY_*)")
public class IngressSpec {
  public static final String HOST_FORM = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  public static final String WILDCARD_MESSAGE = "ingress.host must be one host name, not a wildcard: it is the"
      + " dashboard's public address (PI_PROXY_HOST)";
  public static final String HOST_MESSAGE = "ingress.host must be a lower-case DNS name such as pi.example.com";

  @JsonPropertyDescription("Create the Ingress. Default false.")
  public Boolean enabled;

  @Size(max = 253)
  @ValidationRule(value = "!self.startsWith('*')", message = IngressSpec.WILDCARD_MESSAGE)
  @ValidationRule(value = "self.startsWith('*') || self.matches('" + IngressSpec.HOST_FORM + "')",
      message = IngressSpec.HOST_MESSAGE)
  @JsonPropertyDescription("Public host name of the dashboard: one lower-case DNS name, not a wildcard (it"
      + " becomes PI_PROXY_HOST).")
  public String host;

  @JsonPropertyDescription("IngressClass name. Default: the cluster default class.")
  public String className;

  @JsonPropertyDescription("Annotations of the Ingress (e.g. for cert-manager or sticky sessions).")
  public Map<String, String> annotations;

  @JsonPropertyDescription("Secret with the TLS certificate; when set the public URL is https.")
  public String tlsSecretName;

  @Pattern("^/[A-Za-z0-9/_.-]*$")
  @JsonPropertyDescription("Path of the dashboard. Default /pi (the dashboard is served there).")
  public String path;
}
