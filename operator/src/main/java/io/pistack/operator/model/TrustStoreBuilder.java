package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.pistack.operator.api.v1alpha1.TrustSpec;
import java.util.List;

/**
 * The JVM trust store of the components with {@link ComponentDefinition.EnvGroup#JAVA_TRUST} when
 * spec.trust names a CA bundle: an init container copies the JRE's default CAs (PKCS12) and imports
 * every certificate of the bundle with keytool; the component's JVM reads it through
 * JAVA_TOOL_OPTIONS. The store holds only public certificates; its password is the JRE's
 * well-known default.
 */
public final class TrustStoreBuilder {
  public static final String DEFAULT_IMAGE = "docker.io/library/eclipse-temurin:17.0.11_9-jre";
  public static final String DEFAULT_KEY = "ca.crt";
  static final String BUNDLE_VOLUME = "pi-ca-bundle";
  static final String STORE_VOLUME = "pi-trust-store";
  static final String BUNDLE_DIR = "/pi/ca-bundle";
  static final String STORE_DIR = "/pi/trust-store";
  public static final String STORE = STORE_DIR + "/truststore.p12";
  static final String PASSWORD = "changeit";
  /** JAVA_TOOL_OPTIONS of a component that trusts the bundle. */
  public static final String JAVA_TOOL_OPTIONS = "-Djavax.net.ssl.trustStore=" + STORE
      + " -Djavax.net.ssl.trustStoreType=PKCS12 -Djavax.net.ssl.trustStorePassword=" + PASSWORD;

  /**
   * Builds $TRUST_STORE from the JRE's cacerts plus each certificate of $CA_BUNDLE (aliases
   * pi-ca-1, pi-ca-2, ...). Fails, and so keeps the pod from starting, when the bundle holds no
   * certificate or one cannot be read.
   */
  static final String SCRIPT = String.join("\n",
      "set -eu",
      "work=$(mktemp -d)",
      "awk -v dir=\"$work\" '/-----BEGIN CERTIFICATE-----/ { n++ } n > 0 { print > (dir \"/ca-\" n \".pem\") }'"
          + " \"$CA_BUNDLE\"",
      "ls \"$work\"/ca-*.pem >/dev/null 2>&1 || { echo \"no certificate in the CA bundle\" >&2; exit 1; }",
      "rm -f \"$TRUST_STORE\"",
      "keytool -importkeystore -noprompt -srckeystore \"$JAVA_HOME/lib/security/cacerts\" -srcstorepass " + PASSWORD
          + " -destkeystore \"$TRUST_STORE\" -deststoretype PKCS12 -deststorepass " + PASSWORD + " >/dev/null",
      "for f in \"$work\"/ca-*.pem; do",
      "  alias=pi-$(basename \"$f\" .pem)",
      "  keytool -importcert -noprompt -alias \"$alias\" -file \"$f\" -keystore \"$TRUST_STORE\""
          + " -storetype PKCS12 -storepass " + PASSWORD + " >/dev/null",
      "  echo \"trusted $alias\"",
      "done",
      "");

  private TrustStoreBuilder() {}

  /** True when the component builds a trust store in this stack. */
  public static boolean wanted(ResolvedStack stack, Component c) {
    return stack.trust().isPresent() && c.env().contains(ComponentDefinition.EnvGroup.JAVA_TRUST);
  }

  public static Container initContainer(ResolvedStack stack) {
    TrustSpec t = stack.trust().orElseThrow();
    return new ContainerBuilder()
        .withName("pi-trust-store")
        .withImage(t.image == null ? DEFAULT_IMAGE : t.image)
        .withImagePullPolicy(stack.images().pullPolicy())
        .withCommand("sh", "-c", SCRIPT)
        .addNewEnv().withName("CA_BUNDLE").withValue(BUNDLE_DIR + "/" + DEFAULT_KEY).endEnv()
        .addNewEnv().withName("TRUST_STORE").withValue(STORE).endEnv()
        .withNewResources()
        .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("50m"))
        .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("128Mi"))
        .addToLimits("memory", new io.fabric8.kubernetes.api.model.Quantity("256Mi"))
        .endResources()
        .withVolumeMounts(mount(BUNDLE_VOLUME, BUNDLE_DIR, true), mount(STORE_VOLUME, STORE_DIR, false))
        // It only writes the emptyDir: no privilege escalation, no capabilities, as the component's own.
        .withSecurityContext(PodSecurity.defaultContainer())
        .build();
  }

  /** The bundle (its one key, as ca.crt) and the store the init container writes. */
  public static List<Volume> volumes(ResolvedStack stack) {
    TrustSpec t = stack.trust().orElseThrow();
    String key = t.key == null ? DEFAULT_KEY : t.key;
    VolumeBuilder bundle = new VolumeBuilder().withName(BUNDLE_VOLUME);
    if (t.configMapName != null) {
      bundle.withNewConfigMap().withName(t.configMapName).addNewItem().withKey(key).withPath(DEFAULT_KEY).endItem()
          .endConfigMap();
    } else {
      bundle.withNewSecret().withSecretName(t.secretName).addNewItem().withKey(key).withPath(DEFAULT_KEY).endItem()
          .endSecret();
    }
    return List.of(bundle.build(), new VolumeBuilder().withName(STORE_VOLUME).withNewEmptyDir().endEmptyDir().build());
  }

  /** Where the component's container reads the store. */
  public static VolumeMount storeMount() {
    return mount(STORE_VOLUME, STORE_DIR, true);
  }

  /**
   * readOnly only when true: the API server drops {@code readOnly: false} (omitempty), and a desired
   * field the live object lacks would make every reconcile re-apply the Deployment (the real-API
   * test caught it).
   */
  private static VolumeMount mount(String name, String path, boolean readOnly) {
    return new VolumeMountBuilder().withName(name).withMountPath(path).withReadOnly(readOnly ? Boolean.TRUE : null)
        .build();
  }
}
