package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.api.v1alpha1.IngressSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.TrustSpec;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a PiStack with every default resolved in memory. The user's object is never
 * changed: defaults live here, not in the spec (GitOps tools own the spec).
 */
public final class ResolvedStack {
  public static final String DEFAULT_PATH = "/pi";

  private final PiStack stack;
  private final PiStackSpec spec;
  private final String version;
  private final SecretDigests.Lookup secrets;
  private final OperatorIdentity operator;
  private final DatabaseSettings database;
  /** spec.backup and spec.restore resolved once per ResolvedStack (see {@link #backup()}). */
  private BackupSettings backup;

  public ResolvedStack(PiStack stack) {
    this(stack, null, SecretDigests.Lookup.NONE, OperatorIdentity.OUTSIDE);
  }

  /** A stack whose pod templates carry the digests of the Secrets they use (see SecretDigests). */
  public ResolvedStack(PiStack stack, SecretDigests.Lookup secrets) {
    this(stack, null, secrets, OperatorIdentity.OUTSIDE);
  }

  private ResolvedStack(PiStack stack, String version, SecretDigests.Lookup secrets, OperatorIdentity operator) {
    this.stack = stack;
    this.spec = stack.getSpec() == null ? new PiStackSpec() : stack.getSpec();
    this.version = version == null ? spec.version : version;
    this.secrets = secrets;
    this.operator = operator;
    this.database = new DatabaseSettings(spec.database, this);
  }

  /** The same stack at another Pi version: the version still running while an upgrade waits. */
  public ResolvedStack withVersion(String otherVersion) {
    return new ResolvedStack(stack, otherVersion, secrets, operator);
  }

  /** The same stack, served by the operator running where {@code identity} says (its NetworkPolicies admit it). */
  public ResolvedStack withOperator(OperatorIdentity identity) {
    return new ResolvedStack(stack, version, secrets, identity);
  }

  /** The same view (its backup as resolved) with the Secrets the spec stage read once for it (SecretWatch#digests). */
  public ResolvedStack withSecrets(SecretDigests.Lookup read) {
    ResolvedStack r = new ResolvedStack(stack, version, read, operator);
    r.backup = backup;
    return r;
  }

  /**
   * spec.backup and spec.restore with their defaults, resolved once for this ResolvedStack (lazily:
   * BackupSettings is immutable, so a racing second resolution would only build an equal value).
   */
  public BackupSettings backup() {
    BackupSettings settings = backup;
    if (settings == null) {
      settings = BackupSettings.resolve(this);
      backup = settings;
    }
    return settings;
  }

  /** Where the operator serving this stack runs. */
  public OperatorIdentity operator() {
    return operator;
  }

  /** What is known of the Secrets of the stack's namespace (never their values). */
  public SecretDigests.Lookup secrets() {
    return secrets;
  }

  public PiStack source() {
    return stack;
  }

  public String name() { return stack.getMetadata().getName(); }

  public String namespace() { return stack.getMetadata().getNamespace(); }

  public String version() { return version; }

  public boolean paused() {
    return Boolean.TRUE.equals(spec.paused);
  }

  // ---- names -------------------------------------------------------------------------------

  public String name(Component c) {
    return name() + "-" + c.part();
  }

  /** The Service publishing a component's internal ports, never in the Ingress. */
  public String internalServiceName(Component c) {
    return name(c) + "-private";
  }

  /** The Service publishing that port of the component: its own, or its internal one. */
  public String serviceName(Component c, ComponentDefinition.NamedPort port) {
    return port.internal() ? internalServiceName(c) : name(c);
  }

  public String sharedClaimName() {
    return name() + "-shared";
  }

  public String databaseName() {
    return name() + "-db";
  }

  public String generatedCredentialsSecretName() {
    return name() + "-db-credentials";
  }

  /** The embedded database's root password: mounted by the MariaDB pod only (docs/database-user.md). */
  public String databaseRootSecretName() {
    return name() + "-db-root";
  }

  /** The API key the operator generates for Qdrant (its only client is the dashboard). */
  public String qdrantApiKeySecretName() {
    return name() + "-qdrant-api-key";
  }

  public SecretKey qdrantApiKey() {
    return new SecretKey(qdrantApiKeySecretName(), SecretBuilder.QDRANT_API_KEY);
  }

  /** The embedded database's read-only backup user (docs/database-user.md): the backup Jobs and the MariaDB pod. */
  public String databaseBackupSecretName() {
    return name() + "-db-backup";
  }

  // ---- components -------------------------------------------------------------------------

  public ComponentSpec component(Component c) {
    ComponentSpec s = c.spec(spec);
    return s == null ? new ComponentSpec() : s;
  }

  public DashboardSpec dashboard() {
    return spec.dashboard == null ? new DashboardSpec() : spec.dashboard;
  }

  /**
   * The HTTPS the component serves in this stack: its {@link Component#tls()} when the user turned
   * it on (spec.<component>.https.enabled with a secretName), else empty.
   */
  public Optional<ComponentDefinition.ServedTls> tls(Component c) {
    ComponentDefinition.ServedTls t = c.tls();
    if (t == null) {
      return Optional.empty();
    }
    io.pistack.operator.api.v1alpha1.HttpsSpec h = t.spec().apply(spec);
    return h != null && Boolean.TRUE.equals(h.enabled) && h.secretName != null ? Optional.of(t) : Optional.empty();
  }

  /** The Secret with the component's certificate, when it serves HTTPS. */
  public Optional<String> tlsSecretName(Component c) {
    return tls(c).map(t -> t.spec().apply(spec).secretName);
  }

  /** True when the component's port of that name speaks HTTPS (only the main port ever does). */
  public boolean servesTls(Component c, String portName) {
    return tls(c).isPresent() && c.ports().get(0).name().equals(portName);
  }

  /** Pi components run unless disabled; optional ones only when enabled. */
  public boolean enabled(Component c) {
    Boolean enabled = component(c).enabled;
    return c.optional() ? Boolean.TRUE.equals(enabled) : !Boolean.FALSE.equals(enabled);
  }

  public List<Component> enabledComponents() {
    return java.util.Arrays.stream(Component.values()).filter(this::enabled).toList();
  }

  /** How big the component runs: replicas or autoscaling, resources, Tomcat's heap. */
  public ComponentSizing sizing(Component c) {
    return new ComponentSizing(c, component(c), enabled(c), dashboard().tomcatMaxMemoryMb);
  }

  /** Which image each container runs and how it is pulled. */
  public ImageSettings images() {
    return new ImageSettings(spec, version);
  }

  // ---- what the user sets on a component's pods ------------------------------------------------

  /** The component's pods as the user shapes them: security contexts, extra volumes, init containers, sidecars. */
  public ComponentPod pod(Component c) {
    return new ComponentPod(component(c), c.imageUser());
  }

  // ---- a component's own volume ----------------------------------------------------------------

  /** {@code <stack>-<component>-<volume>}, for a component with its own volume. */
  public String volumeClaimName(Component c) {
    return name(c) + "-" + c.volume().name();
  }

  // ---- trust ------------------------------------------------------------------------------------

  /** The private CA bundle the Java components trust, if any. */
  public Optional<TrustSpec> trust() {
    return Optional.ofNullable(spec.trust).filter(t -> t.configMapName != null || t.secretName != null);
  }

  // ---- licence ------------------------------------------------------------------------------

  public Optional<SecretKey> licence() {
    if (spec.licence == null || spec.licence.secretName == null) {
      return Optional.empty();
    }
    return Optional.of(new SecretKey(spec.licence.secretName,
        spec.licence.key == null ? "licence" : spec.licence.key));
  }

  // ---- database -----------------------------------------------------------------------------

  /** spec.database with its defaults: where the database is and whose credentials the pods use. */
  public DatabaseSettings database() {
    return database;
  }

  // ---- storage ------------------------------------------------------------------------------

  /** The shared volume's and the components' own volumes' settings, and whether data goes with the stack. */
  public StorageSettings storage() {
    return new StorageSettings(spec.storage, this);
  }

  // ---- ingress ------------------------------------------------------------------------------

  /** NetworkPolicies are made unless spec.networkPolicy.enabled is false. */
  public boolean networkPoliciesEnabled() {
    return spec.networkPolicy == null || !Boolean.FALSE.equals(spec.networkPolicy.enabled);
  }

  /** Who may reach the main component's public ports; empty: anyone. */
  public List<io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer> dashboardFrom() {
    return spec.networkPolicy == null ? List.of()
        : ComponentPod.typed(spec.networkPolicy.dashboardFrom, io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer.class);
  }

  public boolean ingressEnabled() {
    return spec.ingress != null && Boolean.TRUE.equals(spec.ingress.enabled) && spec.ingress.host != null;
  }

  public IngressSpec ingress() {
    return spec.ingress == null ? new IngressSpec() : spec.ingress;
  }

  public String ingressPath() {
    return ingress().path == null ? DEFAULT_PATH : ingress().path;
  }

  public boolean ingressTls() {
    return ingressEnabled() && ingress().tlsSecretName != null;
  }

  /** The dashboard's public URL, when it has a public address. */
  public Optional<String> publicUrl() {
    return publicAddress().map(PublicAddress::url);
  }

  /** The dashboard's public address (PI_PROXY_*), from spec.publicAddress, the Ingress or the HTTPRoute. */
  public Optional<PublicAddress> publicAddress() {
    return PublicAddress.of(spec);
  }

  public boolean httpRouteEnabled() {
    return spec.httpRoute != null && Boolean.TRUE.equals(spec.httpRoute.enabled) && spec.httpRoute.host != null
        && spec.httpRoute.gateway != null;
  }

  public io.pistack.operator.api.v1alpha1.HttpRouteSpec httpRoute() {
    return spec.httpRoute == null ? new io.pistack.operator.api.v1alpha1.HttpRouteSpec() : spec.httpRoute;
  }

  public String routePath() {
    return httpRoute().path == null ? DEFAULT_PATH : httpRoute().path;
  }

  /** A key of a Secret in the stack's namespace. */
  public record SecretKey(String secret, String key) {}
}
