package io.pistack.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** The desired Panintelligence installation. Each section is its own class. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.ingress) || !has(self.ingress.enabled) || !self.ingress.enabled"
    + " || !has(self.dashboard) || !has(self.dashboard.enabled) || self.dashboard.enabled",
    message = PiStackSpec.INGRESS_WITHOUT_DASHBOARD, fieldPath = ".ingress.enabled")
@ValidationRule(value = "!has(self.httpRoute) || !has(self.httpRoute.enabled) || !self.httpRoute.enabled"
    + " || !has(self.ingress) || !has(self.ingress.enabled) || !self.ingress.enabled",
    message = PiStackSpec.INGRESS_AND_ROUTE, fieldPath = ".httpRoute.enabled")
@ValidationRule(value = "!has(self.httpRoute) || !has(self.httpRoute.enabled) || !self.httpRoute.enabled"
    + " || !has(self.dashboard) || !has(self.dashboard.enabled) || self.dashboard.enabled",
    message = PiStackSpec.ROUTE_WITHOUT_DASHBOARD, fieldPath = ".httpRoute.enabled")
@ValidationRule(value = VolumeRules.DB_GROWS, message = VolumeRules.DB_GROWS_MESSAGE)
@ValidationRule(value = VolumeRules.DB_CLASS, message = VolumeRules.DB_CLASS_MESSAGE)
@ValidationRule(value = VolumeRules.SHARED_GROWS, message = VolumeRules.SHARED_GROWS_MESSAGE)
@ValidationRule(value = VolumeRules.SHARED_CLASS, message = VolumeRules.SHARED_CLASS_MESSAGE)
@ValidationRule(value = VolumeRules.BACKUP_GROWS, message = VolumeRules.BACKUP_GROWS_MESSAGE)
@ValidationRule(value = VolumeRules.BACKUP_CLASS, message = VolumeRules.BACKUP_CLASS_MESSAGE)
public class PiStackSpec {
  public static final String VERSION_FORM = "^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$";
  public static final String VERSION_MESSAGE = "version must be an image tag that is also a label value: at most 63"
      + " letters, digits, '.', '_' or '-', starting and ending with a letter or digit, e.g. 2025_10.1";
  public static final String INGRESS_WITHOUT_DASHBOARD = "the ingress routes to the dashboard: it cannot be"
      + " enabled while dashboard.enabled is false";
  public static final String INGRESS_AND_ROUTE = "httpRoute and ingress are two ways to expose the dashboard:"
      + " enable one of them (see docs/exposure.md to move from one to the other)";
  public static final String ROUTE_WITHOUT_DASHBOARD = "the httpRoute routes to the dashboard: it cannot be"
      + " enabled while dashboard.enabled is false";

  @Required
  @Size(max = 63)
  @ValidationRule(value = "self.matches('" + VERSION_FORM + "')", message = VERSION_MESSAGE)
  @JsonPropertyDescription("Pi image tag used for every component, e.g. 2025_10.1: at most 63 letters, digits,"
      + " '.', '_' or '-', starting and ending with a letter or digit (it is also a label value)."
      + " 'latest' is accepted but not recommended: pin a version so upgrades are deliberate.")
  public String version;

  @JsonPropertyDescription("When true the operator stops changing the stack's objects (maintenance);"
      + " status still reports health.")
  public Boolean paused;

  @JsonPropertyDescription("Where the Pi images come from.")
  public ImageSpec image;

  @JsonPropertyDescription("The Pi licence, read from a Secret (becomes PI_LICENCE).")
  public LicenceSpec licence;

  @JsonPropertyDescription("The dashboard's repository database: embedded MariaDB (default) or external.")
  public DatabaseSpec database;

  @JsonPropertyDescription("The shared volume (keys, themes, images, svg, custom JDBC drivers).")
  public StorageSpec storage;

  @JsonPropertyDescription("The dashboard (Tomcat, served under /pi).")
  public DashboardSpec dashboard;

  @JsonPropertyDescription("The scheduler (piReports). Always exactly one replica.")
  public SchedulerSpec scheduler;

  @JsonPropertyDescription("The analytics engine (pirana).")
  public ScalableComponentSpec analytics;

  @JsonPropertyDescription("The chart renderer.")
  public ScalableComponentSpec renderer;

  @JsonPropertyDescription("The excel reader.")
  public ComponentSpec excelReader;

  @JsonPropertyDescription("The optional Qdrant vector database for the dashboard's AI features (off unless"
      + " enabled): image docker.io/qdrant/qdrant, its own ReadWriteOnce volume, wired to the dashboard as"
      + " PI_VECTOR_DB_URL.")
  public QdrantSpec qdrant;

  @JsonPropertyDescription("A private CA bundle (ConfigMap or Secret) the dashboard and scheduler trust when they"
      + " connect to data sources and other servers, on top of the public CAs.")
  public TrustSpec trust;

  @JsonPropertyDescription("The stack's NetworkPolicies: on by default; who may reach the dashboard.")
  public NetworkPolicySpec networkPolicy;

  @JsonPropertyDescription("Public access to the dashboard through an Ingress.")
  public IngressSpec ingress;

  @JsonPropertyDescription("Public access to the dashboard through a Gateway API HTTPRoute (instead of the"
      + " Ingress).")
  public HttpRouteSpec httpRoute;

  @JsonPropertyDescription("The dashboard's public address (PI_PROXY_* and the secure cookie), whatever exposes it."
      + " Default: from the Ingress or the HTTPRoute.")
  public PublicAddressSpec publicAddress;

  @JsonPropertyDescription("Scheduled backups of the database and the shared files, and a backup before"
      + " every version change.")
  public BackupSpec backup;

  @JsonPropertyDescription("How a version change rolls out: drain first (default) or rolling.")
  public UpgradeSpec upgrade;

  @io.fabric8.generator.annotation.Size(max = 16)
  @JsonPropertyDescription("When disruptive changes may start: a version change, and a rollout caused by a rotated"
      + " Secret. Outside every window such a change waits (Progressing, reason WaitingForMaintenanceWindow, naming"
      + " the next window). Changes that repair or secure the stack are never held. Empty: the operator's default"
      + " (PI_OPERATOR_MAINTENANCE_WINDOWS), which by default is always.")
  public java.util.List<MaintenanceWindowSpec> maintenanceWindows;

  @JsonPropertyDescription("Restore a backup before the dashboard and scheduler start (one-shot).")
  public RestoreSpec restore;

  @JsonPropertyDescription("Put the whole stack to sleep (zero pods, volumes and Secrets kept) and wake it again.")
  public HibernationSpec hibernation;

  @JsonPropertyDescription("The page the dashboard's Service answers with (503, Retry-After) while a drained"
      + " upgrade, a restore or hibernation keeps the dashboard down. On by default.")
  public MaintenancePageSpec maintenancePage;
}
