package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.pistack.operator.api.v1alpha1.ComponentVolumeSettings;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.api.v1alpha1.ImageSpec;
import io.pistack.operator.api.v1alpha1.IngressSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import io.pistack.operator.api.v1alpha1.TrustSpec;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of a PiStack with every default resolved in memory. The user's object is never
 * changed: defaults live here, not in the spec (GitOps tools own the spec).
 */
public final class ResolvedStack {
  public static final String DEFAULT_REGISTRY = "ghcr.io/pi-cr";
  public static final String DEFAULT_SHARED_SIZE = "5Gi";
  public static final String DEFAULT_PATH = "/pi";
  public static final long TOMCAT_MEMORY_ALLOWANCE_MIB = 1024;

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

  public String name() {
    return stack.getMetadata().getName();
  }

  public String namespace() {
    return stack.getMetadata().getNamespace();
  }

  public String version() {
    return version;
  }

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

  /** Autoscaling settings when the component is enabled, may autoscale and has it turned on. */
  public Optional<Autoscaling> autoscaling(Component c) {
    if (!c.canAutoscale() || !enabled(c) || !(component(c) instanceof ScalableComponentSpec s)
        || s.autoscaling == null || !Boolean.TRUE.equals(s.autoscaling.enabled)) {
      return Optional.empty();
    }
    AutoscalingSpec a = s.autoscaling;
    return Optional.of(new Autoscaling(
        a.minReplicas == null ? AutoscalingSpec.DEFAULT_MIN : a.minReplicas,
        a.maxReplicas == null ? AutoscalingSpec.DEFAULT_MAX : a.maxReplicas,
        a.targetCPUUtilizationPercentage == null ? AutoscalingSpec.DEFAULT_TARGET_CPU
            : a.targetCPUUtilizationPercentage));
  }

  /** Replicas for the Deployment, or empty when an HPA owns the count. A singleton is 0 or 1. */
  public Optional<Integer> replicas(Component c) {
    if (autoscaling(c).isPresent()) {
      return Optional.empty();
    }
    Integer r = component(c).replicas;
    int replicas = r == null ? c.defaultReplicas() : r;
    return Optional.of(c.singleton() ? Math.min(replicas, 1) : replicas);
  }

  /** The most pods the component may run: replicas, or the autoscaler's maximum. */
  public int maxReplicas(Component c) {
    return autoscaling(c).map(Autoscaling::max).orElseGet(() -> replicas(c).orElse(0));
  }

  public ResourceRequirements resources(Component c) {
    ResourceRequirements r = component(c).resources;
    if (r != null) {
      return r;
    }
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(c.defaultCpu()))
        .addToRequests("memory", new Quantity(c.defaultMemory()))
        .addToLimits("memory", new Quantity(c.defaultMemory()))
        .build();
  }

  public String image(Component c) {
    String override = component(c).image;
    if (override != null && !override.isBlank()) {
      return override;
    }
    if (c.fixedImage() != null) {
      return c.fixedImage();
    }
    return registry() + "/" + c.image() + ":" + version();
  }

  public String registry() {
    ImageSpec i = spec.image;
    String r = i == null || i.registry == null ? DEFAULT_REGISTRY : i.registry;
    return r.endsWith("/") ? r.substring(0, r.length() - 1) : r;
  }

  public String pullPolicy() {
    ImageSpec i = spec.image;
    return i == null || i.pullPolicy == null ? "IfNotPresent" : i.pullPolicy.name();
  }

  public List<LocalObjectReference> pullSecrets() {
    ImageSpec i = spec.image;
    return i == null || i.pullSecrets == null ? List.of() : i.pullSecrets;
  }

  /** PI_TOMCAT_MAX_MEMORY in MiB: given, or the component's memory limit minus a 1 GiB allowance. */
  public long tomcatMaxMemoryMb(Component c) {
    Integer given = dashboard().tomcatMaxMemoryMb;
    if (given != null) {
      return given;
    }
    ResourceRequirements r = resources(c);
    Quantity mem = r.getLimits() != null && r.getLimits().get("memory") != null
        ? r.getLimits().get("memory")
        : r.getRequests() == null ? null : r.getRequests().get("memory");
    long mib = mem == null ? 4096 : Quantity.getAmountInBytes(mem).longValue() / (1024 * 1024);
    return Math.max(512, mib - TOMCAT_MEMORY_ALLOWANCE_MIB);
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

  public String volumeSize(Component c) {
    String given = component(c) instanceof ComponentVolumeSettings v ? v.storageSize() : null;
    return given == null ? c.volume().defaultSize() : given;
  }

  public Optional<String> volumeStorageClass(Component c) {
    return Optional.ofNullable(component(c) instanceof ComponentVolumeSettings v ? v.storageClassName() : null);
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

  public String sharedSize() {
    return spec.storage == null || spec.storage.size == null ? DEFAULT_SHARED_SIZE : spec.storage.size;
  }

  public Optional<String> sharedStorageClass() {
    return Optional.ofNullable(spec.storage == null ? null : spec.storage.storageClassName);
  }

  public List<String> sharedAccessModes() {
    if (spec.storage == null || spec.storage.accessModes == null || spec.storage.accessModes.isEmpty()) {
      return List.of(StorageSpec.AccessMode.ReadWriteMany.name());
    }
    return spec.storage.accessModes.stream().map(Enum::name).toList();
  }

  /** Data (shared PVC, DB volume, generated credentials) is deleted with the stack only on opt-in. */
  public boolean deleteDataWithStack() {
    return deleteDataWithStack(spec);
  }

  public static boolean deleteDataWithStack(PiStackSpec spec) {
    return spec != null && spec.storage != null && Boolean.TRUE.equals(spec.storage.deleteWithStack);
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

  /** The dashboard's public URL, when an ingress is enabled. */
  public Optional<String> publicUrl() {
    if (!ingressEnabled()) {
      return Optional.empty();
    }
    return Optional.of((ingressTls() ? "https://" : "http://") + ingress().host + ingressPath());
  }

  // ---- in-cluster URLs ----------------------------------------------------------------------

  /** http://<stack>-<component>:<port>, the component's Service in the stack's namespace. */
  public String serviceUrl(Component c) {
    return "http://" + name(c) + ":" + c.port();
  }

  /** A key of a Secret in the stack's namespace. */
  public record SecretKey(String secret, String key) {}

  /** Resolved autoscaling bounds. */
  public record Autoscaling(int min, int max, int targetCpuPercent) {}
}
