package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * A private CA bundle the dashboard and scheduler trust: they connect to customers' data sources,
 * often behind internal CAs. An init container builds a PKCS12 trust store (the JRE's default CAs
 * plus the bundle's) and JAVA_TOOL_OPTIONS points the JVM at it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.configMapName) != has(self.secretName)", message = TrustSpec.ONE_SOURCE_MESSAGE)
public class TrustSpec {
  public static final String ONE_SOURCE_MESSAGE =
      "give exactly one of configMapName and secretName: where the CA bundle is";

  @JsonPropertyDescription("ConfigMap in the stack's namespace holding the PEM CA bundle (e.g. one filled by"
      + " cert-manager's trust-manager).")
  public String configMapName;

  @JsonPropertyDescription("Secret in the stack's namespace holding the PEM CA bundle.")
  public String secretName;

  @JsonPropertyDescription("Key of the PEM bundle (one or more certificates) in the ConfigMap or Secret."
      + " Default ca.crt.")
  public String key;

  @JsonPropertyDescription("Image of the init container that builds the trust store; it needs sh, awk and"
      + " keytool. Default docker.io/library/eclipse-temurin:17.0.11_9-jre.")
  public String image;
}
