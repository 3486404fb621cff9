package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * HTTPS served by the component itself (the dashboard's Tomcat: PI_TOMCAT_USE_HTTPS) with the
 * certificate of a kubernetes.io/tls Secret, e.g. one cert-manager fills. Off by default: TLS is
 * usually ended at the Ingress.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HttpsSpec {
  public static final String SECRET_MESSAGE = "https.enabled needs https.secretName: the kubernetes.io/tls Secret"
      + " (tls.crt, tls.key) with the certificate";

  @JsonPropertyDescription("Serve HTTPS on the main port (8224 for the dashboard) instead of HTTP. Probes, the"
      + " Service's appProtocol and the other components' URLs follow; an Ingress controller must then be told to"
      + " speak HTTPS to the backend (docs/https.md). Default false.")
  public Boolean enabled;

  @JsonPropertyDescription("Secret in the stack's namespace with the certificate: tls.crt (PEM, the full chain)"
      + " and tls.key (PEM private key), e.g. a cert-manager Certificate's Secret. Its SANs must include the"
      + " Service name <stack>-dashboard (the scheduler connects to it).")
  public String secretName;
}
