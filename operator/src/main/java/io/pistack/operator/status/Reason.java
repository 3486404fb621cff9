package io.pistack.operator.status;

import static io.pistack.operator.status.ConditionType.BACKUP_FAILING;
import static io.pistack.operator.status.ConditionType.BACKUP_VERIFICATION_FAILING;
import static io.pistack.operator.status.ConditionType.COMPONENT;
import static io.pistack.operator.status.ConditionType.DATABASE_READY;
import static io.pistack.operator.status.ConditionType.DEGRADED;
import static io.pistack.operator.status.ConditionType.HIBERNATED;
import static io.pistack.operator.status.ConditionType.MAINTENANCE_PAGE;
import static io.pistack.operator.status.ConditionType.PROGRESSING;
import static io.pistack.operator.status.ConditionType.READY;
import static io.pistack.operator.status.ConditionType.ROUTE_ACCEPTED;
import static io.pistack.operator.status.ConditionType.STALLED;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every reason the operator writes, in a condition or an Event, with what it is: its category, the condition
 * types that carry it, the Event recorded under it, and whether it counts as a reconcile error in the metrics.
 * Events (TransitionEvents), metrics (StatusMetrics), pacing (CreationProgress) and the decision
 * (StatusAggregator) read it; docs/status.md explains each (ReasonTest holds the two equal). The wire strings
 * never change: Argo CD's health check, kstatus and users' alerts read them.
 *
 * <p>The pod and Deployment faults are the kubelet's and the Deployment controller's own words, read by the
 * health package (WorkloadIssues), which sits below this one; the spec warnings are the model's (SpecWarnings).
 * Both are listed here so that their category is known; ReasonTest checks the lists agree.
 */
public enum Reason {
  // ---- all well ---------------------------------------------------------------------------------------------
  ALL_COMPONENTS_READY("AllComponentsReady", Category.READY, Event.NONE, READY),
  ROLLOUT_COMPLETE("RolloutComplete", Category.READY, Event.NONE, PROGRESSING),
  AS_EXPECTED("AsExpected", Category.READY, Event.NONE, DEGRADED),
  AVAILABLE("Available", Category.READY, Event.NONE, COMPONENT),
  EMBEDDED_READY("EmbeddedReady", Category.READY, Event.NONE, DATABASE_READY),
  REACHABLE("Reachable", Category.READY, Event.NONE, DATABASE_READY),
  NOT_CHECKED("NotChecked", Category.READY, Event.NONE, DATABASE_READY),
  BACKUP_SUCCEEDED("BackupSucceeded", Category.READY, Event.NONE, BACKUP_FAILING),
  NO_BACKUP_YET("NoBackupYet", Category.READY, Event.NONE, BACKUP_FAILING),
  VERIFICATION_PASSED("VerificationPassed", Category.READY, Event.NONE, BACKUP_VERIFICATION_FAILING),
  NOT_VERIFIED_YET("NotVerifiedYet", Category.READY, Event.NONE, BACKUP_VERIFICATION_FAILING),
  /** The HTTPRoute's parent Gateway accepted it (RouteVerdict). */
  ACCEPTED("Accepted", Category.READY, Event.NONE, ROUTE_ACCEPTED),
  /** Hibernated=False: spec.hibernation.enabled is false and nothing is held asleep (HibernationPlan). */
  AWAKE("Awake", Category.READY, Event.NONE, HIBERNATED),

  // ---- not ready yet, nothing at fault ----------------------------------------------------------------------
  /** A Ready reason a creation's progress is paced under, with Unschedulable (CreationProgress). */
  COMPONENTS_NOT_READY("ComponentsNotReady", Category.PROGRESS, Event.NONE, READY),
  ROLLING_OUT("RollingOut", Category.PROGRESS, Event.NONE, PROGRESSING, COMPONENT),
  /**
   * Pods no node can take yet; the message gives the scheduler's words (the health package's UnplacedPods). During
   * a creation the turn to it is written at once, what follows is paced (CreationProgress).
   */
  UNSCHEDULABLE("Unschedulable", Category.PROGRESS, Event.NONE, READY, COMPONENT, DATABASE_READY),
  PODS_NOT_READY("PodsNotReady", Category.PROGRESS, Event.NONE, COMPONENT),
  NOT_CREATED("NotCreated", Category.PROGRESS, Event.NONE, COMPONENT, DATABASE_READY),
  HEALTH_CHECK_PENDING("HealthCheckPending", Category.PROGRESS, Event.NONE, COMPONENT),
  EMBEDDED_STARTING("EmbeddedStarting", Category.PROGRESS, Event.NONE, DATABASE_READY),
  CHECKING("Checking", Category.PROGRESS, Event.NONE, DATABASE_READY),
  /** No Gateway controller has reported on the HTTPRoute yet (or not on its latest generation): RouteVerdict. */
  ROUTE_PENDING("RoutePending", Category.PROGRESS, Event.NONE, ROUTE_ACCEPTED),

  // ---- a gate holds the stack (not a fault) -----------------------------------------------------------------
  PAUSED("Paused", Category.GATE, Event.NORMAL, READY, PROGRESSING),
  PRE_UPGRADE_BACKUP("PreUpgradeBackup", Category.GATE, Event.NORMAL, READY, PROGRESSING),
  UPGRADE_DRAINING("UpgradeDraining", Category.GATE, Event.NORMAL, READY, PROGRESSING),
  UPGRADE_MIGRATING("UpgradeMigrating", Category.GATE, Event.NORMAL, READY, PROGRESSING),
  WAITING_FOR_MAINTENANCE_WINDOW("WaitingForMaintenanceWindow", Category.GATE, Event.NORMAL, PROGRESSING),
  RESTORING("Restoring", Category.GATE, Event.NORMAL, READY, PROGRESSING),
  /** spec.hibernation.enabled: the stack's pods are being stopped, in order (HibernationPlan). */
  HIBERNATING("Hibernating", Category.GATE, Event.NORMAL, READY, PROGRESSING, HIBERNATED),
  /** spec.hibernation.enabled and every pod of the stack is gone: Hibernated=True. */
  HIBERNATED_STACK("Hibernated", Category.GATE, Event.NORMAL, READY, PROGRESSING, HIBERNATED),
  /** spec.hibernation.enabled turned false: the database starts first, then the components, then the apps. */
  WAKING("Waking", Category.GATE, Event.NORMAL, READY, PROGRESSING, HIBERNATED),
  // The maintenance page (MaintenancePageCondition): True while the dashboard's Service answers with it.
  MAINTENANCE_UPGRADE("MaintenanceUpgrade", Category.GATE, Event.NONE, MAINTENANCE_PAGE),
  MAINTENANCE_RESTORE("MaintenanceRestore", Category.GATE, Event.NONE, MAINTENANCE_PAGE),
  MAINTENANCE_HIBERNATION("MaintenanceHibernation", Category.GATE, Event.NONE, MAINTENANCE_PAGE),
  MAINTENANCE_DASHBOARD_STARTING("MaintenanceDashboardStarting", Category.GATE, Event.NONE, MAINTENANCE_PAGE),
  /** The page's pod is not ready yet: the Service still selects the dashboard. */
  MAINTENANCE_PAGE_STARTING("MaintenancePageStarting", Category.PROGRESS, Event.NONE, MAINTENANCE_PAGE),
  /** The dashboard is Ready: the Service selects it again, and the page is removed next. */
  MAINTENANCE_ENDING("MaintenanceEnding", Category.PROGRESS, Event.NONE, MAINTENANCE_PAGE),

  // ---- a gate that failed: Degraded, with a Warning under its own reason ------------------------------------
  PRE_UPGRADE_BACKUP_FAILED("PreUpgradeBackupFailed", Category.GATE_FAILURE, Event.WARNING, READY, PROGRESSING,
      DEGRADED),
  UPGRADE_MIGRATION_STUCK("UpgradeMigrationStuck", Category.GATE_FAILURE, Event.WARNING, READY, PROGRESSING,
      DEGRADED),
  RESTORE_REFUSED("RestoreRefused", Category.GATE_FAILURE, Event.WARNING, READY, PROGRESSING, DEGRADED),
  RESTORE_FAILED("RestoreFailed", Category.GATE_FAILURE, Event.WARNING, READY, PROGRESSING, DEGRADED),

  // ---- a problem with the input: Degraded, with a Warning under its own reason ------------------------------
  INVALID_SPEC("InvalidSpec", Category.INPUT_PROBLEM, Event.WARNING, READY, PROGRESSING, DEGRADED, STALLED),
  /** What the operator's policy refuses (PolicyCheck): nothing is applied, like InvalidSpec. */
  REFUSED_BY_POLICY("RefusedByPolicy", Category.INPUT_PROBLEM, Event.WARNING, READY, PROGRESSING, DEGRADED,
      STALLED),
  /** spec.httpRoute on a cluster that did not serve the Gateway API when the operator started (SpecGate). */
  GATEWAY_API_MISSING("GatewayApiMissing", Category.INPUT_PROBLEM, Event.WARNING, READY, PROGRESSING, DEGRADED,
      STALLED),
  /** spec.restore names a backup, a time or a source the operator refuses (RestoreResolver): nothing is applied. */
  RESTORE_SOURCE_REFUSED("RestoreSourceRefused", Category.INPUT_PROBLEM, Event.WARNING, READY, PROGRESSING, DEGRADED,
      STALLED),
  NAME_TAKEN("NameTaken", Category.INPUT_PROBLEM, Event.WARNING, READY, PROGRESSING, DEGRADED, STALLED),
  SECRET_NOT_FOUND("SecretNotFound", Category.INPUT_PROBLEM, Event.WARNING, READY, PROGRESSING, DEGRADED),
  // The database credentials' problems: DatabaseReady's reasons, and Ready's while they last.
  CREDENTIALS_MISSING("CredentialsMissing", Category.INPUT_PROBLEM, Event.WARNING, DATABASE_READY, READY,
      PROGRESSING, DEGRADED),
  /** A user credentials Secret names root for the embedded database (ReferencedSecrets). */
  ROOT_USER_REFUSED("RootUserRefused", Category.INPUT_PROBLEM, Event.WARNING, DATABASE_READY, READY, PROGRESSING,
      DEGRADED),
  /** A user credentials Secret names a user the embedded database does not create (ReferencedSecrets). */
  USER_NAME_REFUSED("UserNameRefused", Category.INPUT_PROBLEM, Event.WARNING, DATABASE_READY, READY, PROGRESSING,
      DEGRADED),

  // ---- the reconcile failed: Degraded, with a Warning under its own reason ----------------------------------
  RECONCILE_FAILED("ReconcileFailed", Category.ERROR, Event.WARNING, READY, PROGRESSING, DEGRADED),

  // ---- faults of what runs: Degraded, with a Warning "Degraded" -------------------------------------------
  DATABASE_UNREACHABLE("DatabaseUnreachable", Category.FAULT, Event.NONE, DATABASE_READY, READY, PROGRESSING,
      DEGRADED),
  CRASH_LOOP_BACK_OFF("CrashLoopBackOff", Category.FAULT, Event.NONE, COMPONENT, DATABASE_READY, READY, PROGRESSING,
      DEGRADED),
  OOM_KILLED("OOMKilled", Category.FAULT, Event.NONE, COMPONENT, DATABASE_READY, READY, PROGRESSING, DEGRADED),
  /** The kubelet's ErrImagePull too: it alternates with ImagePullBackOff while it retries (WorkloadIssues). */
  IMAGE_PULL_BACK_OFF("ImagePullBackOff", Category.FAULT, Event.NONE, COMPONENT, DATABASE_READY, READY, PROGRESSING,
      DEGRADED),
  CREATE_CONTAINER_CONFIG_ERROR("CreateContainerConfigError", Category.FAULT, Event.NONE, COMPONENT, DATABASE_READY,
      READY, PROGRESSING, DEGRADED),
  CREATE_CONTAINER_ERROR("CreateContainerError", Category.FAULT, Event.NONE, COMPONENT, DATABASE_READY, READY,
      PROGRESSING, DEGRADED),
  RUN_CONTAINER_ERROR("RunContainerError", Category.FAULT, Event.NONE, COMPONENT, DATABASE_READY, READY, PROGRESSING,
      DEGRADED),
  INVALID_IMAGE_NAME("InvalidImageName", Category.FAULT, Event.NONE, COMPONENT, DATABASE_READY, READY, PROGRESSING,
      DEGRADED),
  PROGRESS_DEADLINE_EXCEEDED("ProgressDeadlineExceeded", Category.FAULT, Event.NONE, COMPONENT, READY, PROGRESSING,
      DEGRADED),
  REPLICA_FAILURE("ReplicaFailure", Category.FAULT, Event.NONE, COMPONENT, READY, PROGRESSING, DEGRADED),
  HEALTH_CHECK_FAILED("HealthCheckFailed", Category.FAULT, Event.NONE, COMPONENT, READY, PROGRESSING, DEGRADED),
  /** The HTTPRoute's parent Gateway refused it (its Accepted condition is False): RouteVerdict. */
  ROUTE_NOT_ACCEPTED("RouteNotAccepted", Category.FAULT, Event.NONE, ROUTE_ACCEPTED, READY, PROGRESSING, DEGRADED),
  /** The Gateway accepted the route but cannot use its backend (ResolvedRefs False): RouteVerdict. */
  ROUTE_REFS_UNRESOLVED("RouteRefsUnresolved", Category.FAULT, Event.NONE, ROUTE_ACCEPTED, READY, PROGRESSING,
      DEGRADED),
  /** BackupFailing=True; its Warning event comes from status.backup (a newer failed run), under this reason. */
  BACKUP_FAILED("BackupFailed", Category.FAULT, Event.WARNING, BACKUP_FAILING),
  VERIFICATION_FAILED("VerificationFailed", Category.FAULT, Event.NONE, BACKUP_VERIFICATION_FAILING),

  // ---- Events of a transition only --------------------------------------------------------------------------
  CREATED("Created", Category.EVENT, Event.NORMAL),
  UPGRADING("Upgrading", Category.EVENT, Event.NORMAL),
  /** Degraded turned True (or changed) with a fault announced as such: {@code <reason>: <message>}. */
  DEGRADED_EVENT("Degraded", Category.EVENT, Event.WARNING),
  RECOVERED("Recovered", Category.EVENT, Event.NORMAL),
  READY_EVENT("Ready", Category.EVENT, Event.NORMAL),
  RESUMED("Resumed", Category.EVENT, Event.NORMAL),
  BACKUP_VERIFICATION_FAILED("BackupVerificationFailed", Category.EVENT, Event.WARNING),
  RESTORE_SUCCEEDED("RestoreSucceeded", Category.EVENT, Event.NORMAL),
  UPGRADE_MIGRATED("UpgradeMigrated", Category.EVENT, Event.NORMAL),

  // ---- spec warnings (the model's SpecWarnings): status.warnings and a Warning once per generation ----------
  UNPINNED_VERSION("UnpinnedVersion", Category.SPEC_WARNING, Event.WARNING),
  LITERAL_SECRET_IN_ENV("LiteralSecretInEnv", Category.SPEC_WARNING, Event.WARNING),
  REPLICAS_IGNORED("ReplicasIgnored", Category.SPEC_WARNING, Event.WARNING),
  SHARED_VOLUME_READ_WRITE_ONCE("SharedVolumeReadWriteOnce", Category.SPEC_WARNING, Event.WARNING),
  INGRESS_BACKEND_PROTOCOL("IngressBackendProtocol", Category.SPEC_WARNING, Event.WARNING),
  S3_PREFIX_WITHOUT_NAMESPACE("S3PrefixWithoutNamespace", Category.SPEC_WARNING, Event.WARNING),
  ROUTE_WITHOUT_STICKY_SESSIONS("RouteWithoutStickySessions", Category.SPEC_WARNING, Event.WARNING),
  ROUTE_TO_HTTPS_DASHBOARD("RouteToHttpsDashboard", Category.SPEC_WARNING, Event.WARNING);

  /** What a reason says about the stack. */
  public enum Category {
    /** All well: the condition is in its good state. */
    READY,
    /** Not ready yet, nothing at fault: waiting helps. */
    PROGRESS,
    /** A lifecycle gate (pause, pre-upgrade backup, drained upgrade, restore, hibernation) holds the stack. */
    GATE,
    /** A gate that failed: Degraded, announced under its own reason. */
    GATE_FAILURE,
    /** The spec, a Secret it names, or a name it needs: Degraded, announced under its own reason. */
    INPUT_PROBLEM,
    /** Reconciling failed (an apply refused, an error outside the workflow): Degraded, under its own reason. */
    ERROR,
    /** Something that runs does not work (a pod, a probe, the database, a backup). */
    FAULT,
    /** Only an Event's reason, for a transition. */
    EVENT,
    /** Advice on a legal spec: status.warnings and a Warning event. */
    SPEC_WARNING
  }

  /** The Event recorded under this reason, if any. */
  public enum Event { NONE, NORMAL, WARNING }

  private static final Map<String, Reason> BY_WIRE = Arrays.stream(values())
      .filter(r -> r.category != Category.EVENT)
      .collect(Collectors.toUnmodifiableMap(Reason::wire, Function.identity()));

  private final String wire;
  private final Category category;
  private final Event event;
  private final List<ConditionType> types;

  Reason(String wire, Category category, Event event, ConditionType... types) {
    this.wire = wire;
    this.category = category;
    this.event = event;
    this.types = List.of(types);
  }

  /** As written in a condition's reason or an Event's. */
  public String wire() {
    return wire;
  }

  public Category category() {
    return category;
  }

  public Event event() {
    return event;
  }

  /** The condition types that carry it (none for an Event's or a spec warning's reason). */
  public List<ConditionType> types() {
    return types;
  }

  /**
   * As Ready's reason, a reconcile that ends here counts in pi_operator_reconcile_errors_total (StatusMetrics):
   * the reconcile failed, or the input stops it (every input problem, the database credentials' included), as
   * opposed to "still rolling out" or a gate.
   */
  public boolean countsAsError() {
    return category == Category.INPUT_PROBLEM || category == Category.ERROR;
  }

  /** Degraded turning True with it is announced by a Warning under this reason, not as "Degraded: ...". */
  public boolean announcedUnderOwnName() {
    return category == Category.INPUT_PROBLEM || category == Category.ERROR || category == Category.GATE_FAILURE;
  }

  /** The reason of a condition as written (an Event-only reason is never a condition's). */
  public static Optional<Reason> of(String wire) {
    return Optional.ofNullable(wire == null ? null : BY_WIRE.get(wire));
  }

  /** True when {@code wire} is this reason. */
  public boolean is(String wire) {
    return this.wire.equals(wire);
  }
}
