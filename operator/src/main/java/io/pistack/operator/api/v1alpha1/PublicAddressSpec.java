package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The address users type to reach the dashboard, whatever exposes it (the operator's Ingress or HTTPRoute, or a
 * proxy, load balancer or mesh of your own). It drives PI_PROXY_* and the secure session cookie.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PublicAddressSpec {
  public static final String SCHEME_IN_HOST_MESSAGE = "host is a name without a scheme, e.g. pi.example.com: the"
      + " scheme goes in publicAddress.scheme";
  public static final String WILDCARD_MESSAGE = "publicAddress.host must be one host name, not a wildcard";
  public static final String HOST_MESSAGE = "publicAddress.host must be a lower-case DNS name such as pi.example.com";
  public static final String PATH_FORM = "^/[A-Za-z0-9/_.-]*$";

  @JsonPropertyDescription("http or https. Default: https behind the operator's HTTPRoute or an Ingress with TLS,"
      + " http behind an Ingress without TLS; https when only a host is given.")
  public Scheme scheme;

  @Size(max = 253)
  @ValidationRule(value = "!self.contains('://')", message = PublicAddressSpec.SCHEME_IN_HOST_MESSAGE)
  @ValidationRule(value = "!self.startsWith('*')", message = PublicAddressSpec.WILDCARD_MESSAGE)
  @ValidationRule(value = "self.contains('://') || self.startsWith('*') || self.matches('" + IngressSpec.HOST_FORM
      + "')", message = PublicAddressSpec.HOST_MESSAGE)
  @JsonPropertyDescription("Public host name, no scheme, no port (PI_PROXY_HOST). Default: the Ingress's or the"
      + " HTTPRoute's host. Without a host anywhere the dashboard gets no PI_PROXY_* settings.")
  public String host;

  @Min(1)
  @Max(65535)
  @JsonPropertyDescription("Public port (PI_PROXY_PORT). Default 443 for https, 80 for http.")
  public Integer port;

  @Size(max = 253)
  @Pattern(PATH_FORM)
  @JsonPropertyDescription("Public path of the dashboard, shown in status.url. Default: the Ingress's or the"
      + " HTTPRoute's path, else /pi.")
  public String path;

  public enum Scheme {
    http, https
  }
}
