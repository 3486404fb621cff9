package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A Gateway API HTTPRoute to the dashboard, attached to a Gateway the platform team runs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.enabled) || !self.enabled || has(self.host)",
    message = HttpRouteSpec.HOST_REQUIRED_MESSAGE)
@ValidationRule(value = "!has(self.enabled) || !self.enabled || has(self.gateway)",
    message = HttpRouteSpec.GATEWAY_REQUIRED_MESSAGE)
public class HttpRouteSpec {
  public static final String HOST_REQUIRED_MESSAGE = "an enabled httpRoute needs a host (the route's hostname and"
      + " the dashboard's public address)";
  public static final String GATEWAY_REQUIRED_MESSAGE = "an enabled httpRoute needs a gateway (its parent:"
      + " gateway.name, and gateway.namespace when the Gateway is in another namespace)";
  public static final String SCHEME_IN_HOST_MESSAGE = "httpRoute.host is a name without a scheme, e.g."
      + " pi.example.com: the scheme goes in publicAddress.scheme";
  public static final String WILDCARD_MESSAGE = "httpRoute.host must be one host name, not a wildcard: it is the"
      + " dashboard's public address (PI_PROXY_HOST)";
  public static final String HOST_MESSAGE = "httpRoute.host must be a lower-case DNS name such as pi.example.com";

  @JsonPropertyDescription("Create the HTTPRoute (gateway.networking.k8s.io/v1). Default false. Needs the Gateway"
      + " API CRDs in the cluster when the operator starts; not together with ingress.enabled.")
  public Boolean enabled;

  @Size(max = 253)
  @ValidationRule(value = "!self.contains('://')", message = HttpRouteSpec.SCHEME_IN_HOST_MESSAGE)
  @ValidationRule(value = "!self.startsWith('*')", message = HttpRouteSpec.WILDCARD_MESSAGE)
  @ValidationRule(value = "self.contains('://') || self.startsWith('*') || self.matches('" + IngressSpec.HOST_FORM
      + "')", message = HttpRouteSpec.HOST_MESSAGE)
  @JsonPropertyDescription("Public host name of the dashboard (the route's hostname; PI_PROXY_HOST unless"
      + " publicAddress.host says otherwise): one lower-case DNS name, no scheme, not a wildcard.")
  public String host;

  @JsonPropertyDescription("The Gateway the route attaches to (its parentRef).")
  public GatewayRef gateway;

  @Size(max = 253)
  @Pattern(PublicAddressSpec.PATH_FORM)
  @JsonPropertyDescription("Path prefix of the dashboard. Default /pi (the dashboard is served there).")
  public String path;

  @JsonPropertyDescription("TLS from the Gateway to the dashboard when it serves HTTPS (dashboard.https): the"
      + " operator makes a BackendTLSPolicy for the dashboard Service.")
  public BackendTls backendTls;

  /** How the Gateway verifies the dashboard's certificate (a BackendTLSPolicy's validation). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class BackendTls {
    @Size(min = 1, max = 253)
    @Pattern(GatewayRef.NAME_FORM)
    @JsonPropertyDescription("ConfigMap in the stack's namespace whose key ca.crt holds the CA (PEM) of the"
        + " dashboard's certificate. Default: the Gateway's system CAs (wellKnownCACertificates: System).")
    public String caCertificateConfigMap;
  }

  /** A parentRef to a Gateway. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class GatewayRef {
    public static final String NAME_FORM = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
    public static final String SECTION_FORM = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    @io.fabric8.generator.annotation.Required
    @Size(min = 1, max = 253)
    @Pattern(NAME_FORM)
    @JsonPropertyDescription("Name of the Gateway.")
    public String name;

    @Size(min = 1, max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Namespace of the Gateway. Default: the stack's namespace. The Gateway's listener"
        + " must allow routes from the stack's namespace (allowedRoutes).")
    public String namespace;

    @Size(min = 1, max = 253)
    @Pattern(SECTION_FORM)
    @JsonPropertyDescription("The Gateway listener to attach to (sectionName). Default: every listener that"
        + " allows the route.")
    public String sectionName;
  }
}
