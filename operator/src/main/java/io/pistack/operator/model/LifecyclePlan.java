package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The gates in front of the workloads, decided once per reconcile from the live objects: a pending
 * restore keeps the dashboard and scheduler at zero replicas, a pending pre-upgrade backup keeps
 * every Deployment at the running version. Pure; the dependents build from it.
 *
 * @param unrecorded the finished Jobs whose outcome the status has not recorded yet ({@link UnrecordedJobs}), by
 *     name: the Jobs dependent keeps them until it has (deleting one first, in a reconcile whose status write then
 *     fails, would lose its outcome for good). Decided by {@link #of}; empty in a plan decided otherwise
 */
public record LifecyclePlan(UpgradeDecision upgrade, RestoreDecision restore, DrainDecision drain,
    HibernationPlan hibernation, MaintenancePageDecision page, Set<String> unrecorded) {

  public LifecyclePlan {
    unrecorded = Set.copyOf(unrecorded);
  }

  public LifecyclePlan(UpgradeDecision upgrade, RestoreDecision restore, DrainDecision drain,
      HibernationPlan hibernation, MaintenancePageDecision page) {
    this(upgrade, restore, drain, hibernation, page, Set.of());
  }

  public LifecyclePlan(UpgradeDecision upgrade, RestoreDecision restore) {
    this(upgrade, restore, DrainDecision.none());
  }

  public LifecyclePlan(UpgradeDecision upgrade, RestoreDecision restore, DrainDecision drain) {
    this(upgrade, restore, drain, HibernationPlan.awake());
  }

  public LifecyclePlan(UpgradeDecision upgrade, RestoreDecision restore, DrainDecision drain,
      HibernationPlan hibernation) {
    this(upgrade, restore, drain, hibernation, MaintenancePageDecision.none());
  }

  /** This plan with the maintenance page decided from it (MaintenancePageDecision#decide). */
  public LifecyclePlan withPage(MaintenancePageDecision page) {
    return new LifecyclePlan(upgrade, restore, drain, hibernation, page, unrecorded);
  }

  /** As {@link #decide(ResolvedStack, Collection, Collection, Optional, Collection)} without pods (no drain can finish). */
  public static LifecyclePlan decide(ResolvedStack stack, Collection<Deployment> deployments,
      Collection<Job> jobs, Optional<StatefulSet> database) {
    return decide(stack, deployments, jobs, database, null);
  }

  /**
   * @param deployments the stack's live Deployments
   * @param jobs the stack's live Jobs (any kind)
   * @param database the embedded database's StatefulSet, if any
   * @param pods the stack's live pods (they tell when a drain is complete); null when unknown
   */
  public static LifecyclePlan decide(ResolvedStack stack, Collection<Deployment> deployments,
      Collection<Job> jobs, Optional<StatefulSet> database, Collection<io.fabric8.kubernetes.api.model.Pod> pods) {
    return decide(stack, deployments, jobs, database, pods, stack.backup().restore());
  }

  /** @param wanted the restore request as RestoreResolver resolved it (from another stack, a PiBackup, a time) */
  public static LifecyclePlan decide(ResolvedStack stack, Collection<Deployment> deployments, Collection<Job> jobs,
      Optional<StatefulSet> database, Collection<io.fabric8.kubernetes.api.model.Pod> pods,
      Optional<BackupSettings.RestoreRequest> wanted) {
    boolean dbReady = databaseReady(stack, database);
    UpgradeDecision upgrade = UpgradeDecision.decide(stack, runningVersion(deployments), dbReady,
        job(jobs, JobNames.preUpgrade(stack, stack.version())));
    RestoreStatus previous = stack.source().getStatus() == null ? null : stack.source().getStatus().restore;
    RestoreDecision restore = wanted
        .map(r -> RestoreDecision.decide(stack, r, previous, job(jobs, JobNames.restore(stack, r)), dbReady,
            stopped(deployments), backupFirst(upgrade)))
        .orElseGet(RestoreDecision::none);
    DrainDecision drain = pods == null ? DrainDecision.none()
        : DrainDecision.decide(stack, upgrade, deployments, pods);
    return new LifecyclePlan(upgrade, restore, drain, HibernationPlan.decide(stack, deployments, database, pods));
  }

  /**
   * A reconcile's one lifecycle decision, from what the caches held before the apply: the gates ({@link #decide}), a
   * version change held outside the maintenance windows (WindowHold), then the maintenance page decided from that
   * plan (MaintenancePageDecision), and the finished Jobs it keeps until the status records them (UnrecordedJobs).
   *
   * @param page the dashboard's Service and Deployments as they are live
   * @param closed the window the stack waits for when none is open now; empty while one is open (or it has none)
   */
  public static LifecyclePlan of(ResolvedStack stack, Collection<Deployment> deployments, Collection<Job> jobs,
      Optional<StatefulSet> database, Collection<io.fabric8.kubernetes.api.model.Pod> pods,
      MaintenancePageDecision.Seen page, Optional<BackupSettings.RestoreRequest> wanted,
      Optional<MaintenanceWindows.Wait> closed) {
    LifecyclePlan held = WindowHold.apply(decide(stack, deployments, jobs, database, pods, wanted), stack, deployments,
        jobs, closed);
    LifecyclePlan paged = held.withPage(MaintenancePageDecision.decide(stack, held, page));
    return new LifecyclePlan(paged.upgrade, paged.restore, paged.drain, paged.hibernation, paged.page,
        UnrecordedJobs.of(stack, paged, jobs).stream().map(j -> j.getMetadata().getName()).collect(Collectors.toSet()));
  }

  /** Nothing held back: what a plan without live objects looks like (e.g. for `render`). */
  public static LifecyclePlan open(ResolvedStack stack) {
    return new LifecyclePlan(UpgradeDecision.decide(stack, Optional.empty(), true, Optional.empty()),
        RestoreDecision.none());
  }

  /** The view the Deployments are built from: the running version while an upgrade waits. */
  public ResolvedStack deploymentStack(ResolvedStack stack) {
    return upgrade.holds() ? stack.withVersion(upgrade.running()) : stack;
  }

  /** The view one component's Deployment is built from: during a drained upgrade, old or new version by step. */
  public ResolvedStack deploymentStack(ResolvedStack stack, Component c) {
    return drain.active() ? stack.withVersion(drain.version(c)) : deploymentStack(stack);
  }

  /**
   * The replicas a gate holds a component at (and then it has no HPA): zero while hibernation holds it; zero
   * for the database's users while a restore is pending; zero, or one migrating dashboard, during a drained upgrade.
   */
  public Optional<Integer> heldReplicas(Component c) {
    return hibernation.replicas(c).or(() -> stopped(c) ? Optional.of(0) : drain.replicas(c));
  }

  /** Components kept at zero replicas (and without an HPA) while a restore is pending: the database's users. */
  public boolean stopped(Component c) {
    return restore.stopWorkloads() && c.usesDatabase();
  }

  /**
   * The Deployment whose replicas are handed to its autoscaler when a restore or a drained upgrade
   * released it: held at zero it would stay there (an HPA does not scale a Deployment at zero
   * replicas), and held at one migrating dashboard it would start below the autoscaler's minimum,
   * so it restarts at that minimum. Any other Deployment is returned as it is.
   */
  public static Deployment restartedAfterRestore(Deployment actual, ResolvedStack stack) {
    Integer replicas = actual.getSpec() == null ? null : actual.getSpec().getReplicas();
    String part = label(actual, Labels.COMPONENT);
    if (replicas == null || part == null) {
      return actual;
    }
    Component c;
    try {
      c = Component.fromPart(part);
    } catch (IllegalArgumentException e) {
      return actual;
    }
    return stack.sizing(c).autoscaling().filter(a -> replicas < a.min())
        .map(a -> new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder(actual)
        .editSpec().withReplicas(a.min()).endSpec().build()).orElse(actual);
  }

  /** The Jobs the operator runs itself that should exist now. */
  public List<Job> desiredJobs(ResolvedStack stack) {
    List<Job> jobs = new ArrayList<>();
    if (upgrade.jobWanted()) {
      jobs.add(BackupJobBuilder.preUpgrade(stack, upgrade.running(), upgrade.target()));
    }
    if (restore.jobWanted()) {
      jobs.add(BackupJobBuilder.restore(stack, restore.request()));
    }
    return jobs;
  }

  /**
   * The version the Deployments run: the main component's (dashboard's) version label (the other
   * components follow it), else any component's. Empty for a stack whose Deployments do not exist yet.
   */
  public static Optional<String> runningVersion(Collection<Deployment> deployments) {
    Optional<String> dashboard = deployments.stream()
        .filter(d -> Component.main().part().equals(label(d, Labels.COMPONENT)))
        .map(d -> label(d, Labels.VERSION)).filter(v -> v != null).findFirst();
    return dashboard.or(() -> deployments.stream().map(d -> label(d, Labels.VERSION))
        .filter(v -> v != null).sorted().findFirst());
  }

  /**
   * The embedded database can serve a backup or a restore: its pod is ready and runs the StatefulSet's latest
   * template. A pod that is still to be replaced is not enough: e.g. an operator upgrade that adds the backup user
   * rolls the database pod, and a pre-upgrade backup started on the old pod would log in as a user that does not
   * exist yet.
   */
  static boolean databaseReady(ResolvedStack stack, Optional<StatefulSet> database) {
    if (!stack.database().embedded()) {
      return true;
    }
    return database.filter(LifecyclePlan::rolledOut).map(StatefulSet::getStatus)
        .map(s -> s.getReadyReplicas() != null && s.getReadyReplicas() >= 1).orElse(false);
  }

  /** The StatefulSet controller has seen the latest template and every pod runs it (what it does not say is taken as yes). */
  static boolean rolledOut(StatefulSet set) {
    var status = set.getStatus();
    if (status == null) {
      return false;
    }
    Long generation = set.getMetadata() == null ? null : set.getMetadata().getGeneration();
    Long observed = status.getObservedGeneration();
    boolean seen = generation == null || observed == null || observed >= generation;
    String update = status.getUpdateRevision();
    return seen && (update == null || update.equals(status.getCurrentRevision()));
  }

  /** The database's users (dashboard and scheduler) run no pods (or do not exist yet). */
  static boolean stopped(Collection<Deployment> deployments) {
    return deployments.stream()
        .filter(d -> {
          String part = label(d, Labels.COMPONENT);
          return java.util.Arrays.stream(Component.values()).anyMatch(c -> c.usesDatabase() && c.part().equals(part));
        })
        .allMatch(d -> {
          Integer desired = d.getSpec() == null ? null : d.getSpec().getReplicas();
          Integer running = d.getStatus() == null ? null : d.getStatus().getReplicas();
          return desired != null && desired == 0 && (running == null || running == 0);
        });
  }

  /** A running (or waiting) pre-upgrade backup goes before a restore. */
  private static Optional<String> backupFirst(UpgradeDecision upgrade) {
    return upgrade.phase() == UpgradeDecision.Phase.BACKING_UP
        || upgrade.phase() == UpgradeDecision.Phase.WAITING_FOR_DATABASE
        ? Optional.of(upgrade.jobName()) : Optional.empty();
  }

  private static Optional<Job> job(Collection<Job> jobs, String name) {
    return jobs.stream().filter(j -> name.equals(j.getMetadata().getName())).findFirst();
  }

  private static String label(Deployment d, String key) {
    Map<String, String> labels = d.getMetadata().getLabels();
    return labels == null ? null : labels.get(key);
  }
}
