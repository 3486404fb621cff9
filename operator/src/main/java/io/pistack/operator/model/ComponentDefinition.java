package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.HttpsSpec;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import java.util.List;
import java.util.function.Function;

/**
 * The facts of one Pi component: one entry of the table in {@link Component}. Data only; the
 * builders interpret it.
 *
 * @param part the name suffix and app.kubernetes.io/component label
 * @param image the image name under the registry
 * @param conditionPrefix the component condition is {@code <prefix>Ready}
 * @param spec where the user's settings are in the PiStack spec
 * @param ports the container ports, the main (HTTP) one first; the component's Service publishes the public
 *     ones, its internal Service {@code <stack>-<part>-internal} the internal ones
 * @param healthPath the HTTP path answering 200 when healthy, or null for a TCP check
 * @param defaultCpu CPU request when the user gives no resources
 * @param defaultMemory memory request and limit when the user gives no resources
 * @param defaultReplicas replicas when the user gives none
 * @param scaling how the component scales
 * @param progressDeadlineSeconds the Deployment's progress deadline
 * @param startupFailures the startup probe's failure threshold (10 s apart)
 * @param sharedMounts directories of the shared volume it mounts
 * @param env its environment, in order: groups of settings and other components' URLs
 * @param main the stack's main component (Ingress backend, version, dashboardReplicas)
 * @param disruptionBudget gets a PodDisruptionBudget when it can run more than one pod
 * @param optional off unless spec.<component>.enabled is true (the Pi components are on by default)
 * @param fixedImage a full image reference for a third-party component (not the Pi registry and
 *     version), or null
 * @param volume the component's own volume (a ReadWriteOnce claim), or null
 * @param onlyFrom the parts alone allowed to reach its public ports (its NetworkPolicy), or empty for
 *     anyone (the main component: from where spec.networkPolicy says)
 * @param imageUser the non-root uid (and gid) its image runs as, which its pods then run as (the
 *     restricted profile), or null when the image runs as root or the user is not known (baseline)
 * @param tls how the component serves HTTPS on its main port when the user turns it on, or null
 */
public record ComponentDefinition(String part, String image, String conditionPrefix,
    Function<PiStackSpec, ? extends ComponentSpec> spec, List<NamedPort> ports, String healthPath,
    String defaultCpu, String defaultMemory, int defaultReplicas, Scaling scaling, int progressDeadlineSeconds,
    int startupFailures, List<SharedMount> sharedMounts, List<EnvSource> env, boolean main,
    boolean disruptionBudget, boolean optional, String fixedImage, OwnVolume volume, List<String> onlyFrom,
    Long imageUser, ServedTls tls) {
  /** How a component scales. */
  public enum Scaling {
    /** Replicas as given (default 1); never an HPA. */
    FIXED,
    /** Replicas as given, or an HPA on CPU when spec.<component>.autoscaling.enabled. */
    AUTOSCALABLE,
    /** At most one pod ever: replicas 0 or 1, Recreate rollouts. */
    SINGLETON
  }

  /**
   * A component's own ReadWriteOnce volume, claim {@code <stack>-<component>-<name>}: never the shared
   * volume. Like the other data it outlives the PiStack (and the component being disabled) unless
   * spec.storage.deleteWithStack is true.
   *
   * @param name the volume's and the claim suffix's name
   * @param mountPath where the container sees it
   * @param defaultSize its size unless the component's spec gives one
   */
  public record OwnVolume(String name, String mountPath, String defaultSize) {}

  /**
   * HTTPS the component's own server can do on its main (http) port, with PEM files from a
   * kubernetes.io/tls Secret (tls.crt, tls.key) mounted read-only at {@code directory}.
   *
   * @param spec where the user's settings are (null when the section is absent)
   * @param directory where the certificate files are mounted
   * @param certFile the name the Secret's tls.crt gets there
   * @param keyFile the name the Secret's tls.key gets there
   * @param enableVar the variable set to "true" to turn HTTPS on
   * @param certVar the variable naming the certificate file
   * @param keyVar the variable naming the key file
   * @param secureCookieVar the variable that marks the session cookie secure, or null
   */
  public record ServedTls(Function<PiStackSpec, HttpsSpec> spec, String directory, String certFile, String keyFile,
      String enableVar, String certVar, String keyVar, String secureCookieVar) {
    public static final String CERT_KEY = "tls.crt";
    public static final String PRIVATE_KEY_KEY = "tls.key";

    public String certPath() {
      return directory + "/" + certFile;
    }

    public String keyPath() {
      return directory + "/" + keyFile;
    }
  }

  /**
   * A container port, published under the same name by the component's Service, or, when
   * {@code internal}, only by its internal Service and reachable (NetworkPolicy) only from the parts
   * in {@code from}.
   */
  public record NamedPort(String name, int number, boolean internal, List<String> from) {
    public NamedPort {
      from = List.copyOf(from);
    }
  }

  /** A directory of the shared volume (its subPath) and where the component sees it (pi-facts.md §4). */
  public enum SharedMount {
    KEYS("keys", Paths.DASHBOARD_HOME + "/keys"),
    THEMES("themes", Paths.RESOURCES + "/themes"),
    IMAGES("images", Paths.RESOURCES + "/images"),
    SVG("svg", Paths.RESOURCES + "/svg"),
    JDBC_DRIVERS("custom_jdbc_drivers", Paths.DASHBOARD_HOME + "/tomcat/custom_jdbc_drivers");

    private final String subPath;
    private final String mountPath;

    SharedMount(String subPath, String mountPath) {
      this.subPath = subPath;
      this.mountPath = mountPath;
    }

    public String subPath() {
      return subPath;
    }

    public String mountPath() {
      return mountPath;
    }

    private static final class Paths {
      static final String DASHBOARD_HOME = "/var/panintelligence/Dashboard";
      static final String RESOURCES = DASHBOARD_HOME + "/tomcat/webapps/panMISDashboardResources";
    }
  }

  /** One part of a component's environment. */
  public sealed interface EnvSource permits EnvGroup, Link {}

  /** A group of settings from the stack's spec (see EnvironmentBuilder for each group's variables). */
  public enum EnvGroup implements EnvSource {
    /** PI_EXTERNAL_DB, PI_DB_* and the credentials, referenced from their Secret. */
    DATABASE,
    /** PI_LICENCE from its Secret. */
    LICENCE,
    /** PI_TOMCAT_* from spec.dashboard. */
    TOMCAT,
    /** PI_PROXY_* and the secure cookie when an Ingress is enabled. */
    PROXY,
    /**
     * A JVM that trusts spec.trust's CA bundle: JAVA_TOOL_OPTIONS, and the init container that
     * builds the trust store (TrustStoreBuilder). Nothing without spec.trust.
     */
    JAVA_TRUST,
    /**
     * The generated Qdrant API key for Qdrant's client, while Qdrant runs: PI_VECTOR_DB_API_KEY. The name under
     * which the dashboard reads a key is not published (docs/qdrant.md): this is the operator's, beside PI_VECTOR_DB_URL.
     */
    VECTOR_DB_CLIENT,
    /** The generated Qdrant API key, required by Qdrant on every request but its health paths: QDRANT__SERVICE__API_KEY. */
    VECTOR_DB_SERVER
  }

  /**
   * Another component's in-cluster URL, {@code http://<stack>-<target>:<port><path>}, under each
   * of {@code names}.
   *
   * @param target the other component's part
   * @param port the name of its port
   * @param path appended to the URL
   * @param onlyIfEnabled set only while the target is enabled
   * @param names the variables
   */
  public record Link(String target, String port, String path, boolean onlyIfEnabled, List<String> names)
      implements EnvSource {
    public static Link always(String target, String port, String path, String... names) {
      return new Link(target, port, path, false, List.of(names));
    }

    public static Link ifEnabled(String target, String... names) {
      return new Link(target, "http", "", true, List.of(names));
    }
  }

  static ComponentDefinitionBuilder define(String part, String image, String conditionPrefix,
      Function<PiStackSpec, ? extends ComponentSpec> spec) {
    return new ComponentDefinitionBuilder(part, image, conditionPrefix, spec);
  }
}
