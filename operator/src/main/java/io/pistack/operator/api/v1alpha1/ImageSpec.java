package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageSpec {
  @Pattern("^[a-z0-9]([a-z0-9.:_/-]*[a-z0-9])?$")
  @JsonPropertyDescription("Registry and path the Pi images are pulled from; images are"
      + " <registry>/{server,scheduler,pirana,renderer,excel-reader}:<version>. Default ghcr.io/pi-cr.")
  public String registry;

  @JsonPropertyDescription("Image pull policy for every Pi container. Default IfNotPresent.")
  public PullPolicy pullPolicy;

  @JsonPropertyDescription("Secrets used to pull the Pi images (GHCR access is granted per customer).")
  public List<LocalObjectReference> pullSecrets;

  public enum PullPolicy { Always, IfNotPresent, Never }
}
