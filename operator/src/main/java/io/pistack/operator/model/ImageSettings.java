package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.ImageSpec;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import java.util.List;

/**
 * spec.image with its defaults (built by {@link ResolvedStack#images()}): which image each component
 * runs (the user's override, a third-party component's pinned image, or the Pi registry at the
 * stack's version), and how images are pulled.
 */
public final class ImageSettings {
  public static final String DEFAULT_REGISTRY = "ghcr.io/pi-cr";

  private final PiStackSpec spec;
  private final ImageSpec image;
  private final String version;

  ImageSettings(PiStackSpec spec, String version) {
    this.spec = spec;
    this.image = spec.image;
    this.version = version;
  }

  public String of(Component c) {
    ComponentSpec given = c.spec(spec);
    String override = given == null ? null : given.image;
    if (override != null && !override.isBlank()) {
      return override;
    }
    if (c.fixedImage() != null) {
      return c.fixedImage();
    }
    return registry() + "/" + c.image() + ":" + version;
  }

  public String registry() {
    ImageSpec i = image;
    String r = i == null || i.registry == null ? DEFAULT_REGISTRY : i.registry;
    return r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
  }

  public String pullPolicy() {
    ImageSpec i = image;
    return i == null || i.pullPolicy == null ? "IfNotPresent" : i.pullPolicy.name();
  }

  public List<LocalObjectReference> pullSecrets() {
    ImageSpec i = image;
    return i == null || i.pullSecrets == null ? List.of() : i.pullSecrets;
  }
}
