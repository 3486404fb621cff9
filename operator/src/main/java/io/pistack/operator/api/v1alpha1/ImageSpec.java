package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageSpec {
  public static final String REGISTRY_FORM = "^[a-z0-9]([a-z0-9.:_/-]*[a-z0-9])?$";
  public static final String SCHEME_MESSAGE = "registry is a host and path without a scheme, e.g. ghcr.io/pi-cr or"
      + " registry.example.com:5000/pi, not https://...";
  public static final String REGISTRY_MESSAGE = "registry must be a lower-case host, optional :port and path,"
      + " e.g. registry.example.com/pi, without a trailing '/'";

  @Size(max = 253)
  @ValidationRule(value = "!self.contains('://')", message = ImageSpec.SCHEME_MESSAGE)
  @ValidationRule(value = "self.contains('://') || self.matches('" + ImageSpec.REGISTRY_FORM + "')",
      message = ImageSpec.REGISTRY_MESSAGE)
  @JsonPropertyDescription("Registry and path the Pi images are pulled from; images are"
      + " <registry>/{server,scheduler,pirana,renderer,excel-reader}:<version>. Default ghcr.io/pi-cr. A host,"
      + " optional :port and path, without a scheme: registry.example.com:5000/pi, not https://...")
  public String registry;

  @JsonPropertyDescription("Image pull policy for every Pi container. Default IfNotPresent.")
  public PullPolicy pullPolicy;

  @JsonPropertyDescription("Secrets used to pull the Pi images (GHCR access is granted per customer)."
      + " Kubernetes LocalObjectReference: kubectl explain pod.spec.imagePullSecrets")
  public List<LocalObjectReference> pullSecrets;

  public enum PullPolicy { Always, IfNotPresent, Never }
}
