package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pistack.operator.api.v1alpha1.HibernationSpec;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Hibernation (spec.hibernation.enabled, docs/hibernation.md), decided from the live objects only, like the drain:
 * never remembered, so an operator restarted at any moment (a kill -9) derives the same step again.
 *
 * <p>Going to sleep stops three groups in order, each once the one before has no pod left: the apps (the database's
 * users, dashboard and scheduler; their autoscalers go with them), the other components (analytics, renderer,
 * excel-reader, Qdrant), then the embedded database. Waking runs the reverse order: the database first; the other
 * components once it is ready; the apps once those are ready. A Deployment the plan holds at zero carries the
 * annotation {@link #ASLEEP}, which is how a waking stack is told apart from one that merely has a Deployment at
 * zero (a restore, a drain, a user's replicas: 0); the embedded database's StatefulSet at zero replicas is asleep
 * (nothing else sets it so). Scheduled backups are suspended while anything is held.
 *
 * @param step where the stack is
 * @param held the components kept at zero replicas (and marked {@link #ASLEEP}, and without an autoscaler)
 * @param databaseHeld the embedded database's StatefulSet is kept at zero replicas
 * @param waitingFor what the step waits for, in words (empty when nothing)
 */
public record HibernationPlan(Step step, Set<Component> held, boolean databaseHeld, String waitingFor) {
  /** The annotation on a Deployment hibernation holds at zero. */
  public static final String ASLEEP = "pistack.io/hibernation";
  public static final String ASLEEP_VALUE = "asleep";
  public static final String AWAKE_VALUE = "awake";
  /** The label value of the embedded database's pods (app.kubernetes.io/component). */
  static final String DATABASE_PART = "db";

  public enum Step {
    /** Nothing held: not hibernated, or fully woken. */
    AWAKE(false),
    /** The dashboard and scheduler go to zero first. */
    STOPPING_APPS(false),
    /** Then the other components. */
    STOPPING_COMPONENTS(false),
    /** Then the embedded database (and any Job pod of the stack must have ended). */
    STOPPING_DATABASE(false),
    /** No pod of the stack is left. */
    HIBERNATED(false),
    /** Waking: the database starts first; everything else stays at zero until it is ready. */
    WAKING_DATABASE(true),
    /** Waking: the other components start; the apps wait until they are ready. */
    WAKING_COMPONENTS(true),
    /** Waking: the apps start; nothing is held any more. */
    WAKING_APPS(true);

    private final boolean waking;

    Step(boolean waking) {
      this.waking = waking;
    }

    public boolean waking() {
      return waking;
    }
  }

  public HibernationPlan {
    held = Set.copyOf(held);
    waitingFor = waitingFor == null ? "" : waitingFor;
  }

  public static HibernationPlan awake() {
    return new HibernationPlan(Step.AWAKE, Set.of(), false, "");
  }

  /** spec.hibernation.enabled is true. */
  public static boolean wanted(ResolvedStack stack) {
    HibernationSpec h = stack.source().getSpec().hibernation;
    return h != null && Boolean.TRUE.equals(h.enabled);
  }

  /**
   * @param deployments the stack's live Deployments
   * @param database the embedded database's StatefulSet, if any
   * @param pods the stack's live pods (null when unknown: then nothing is taken as stopped)
   */
  public static HibernationPlan decide(ResolvedStack stack, Collection<Deployment> deployments,
      Optional<StatefulSet> database, Collection<Pod> pods) {
    List<Component> apps = stack.enabledComponents().stream().filter(Component::usesDatabase).toList();
    List<Component> others = stack.enabledComponents().stream().filter(c -> !c.usesDatabase()).toList();
    boolean databaseAsleep = stack.database().embedded() && database.map(HibernationPlan::atZero).orElse(false);
    if (wanted(stack)) {
      return sleeping(stack, apps, others, deployments, database, pods, databaseAsleep);
    }
    Set<Component> marked = stack.enabledComponents().stream().filter(c -> asleep(find(deployments, c)))
        .collect(Collectors.toSet());
    if (marked.isEmpty() && !databaseAsleep) {
      return awake();
    }
    if (!LifecyclePlan.databaseReady(stack, database)) {
      return new HibernationPlan(Step.WAKING_DATABASE, marked, false, "the database");
    }
    Set<Component> appsMarked = marked.stream().filter(Component::usesDatabase).collect(Collectors.toSet());
    List<String> starting = others.stream().filter(c -> marked.contains(c) || !ready(find(deployments, c)))
        .map(Component::part).toList();
    if (!appsMarked.isEmpty() && !starting.isEmpty()) {
      return new HibernationPlan(Step.WAKING_COMPONENTS, appsMarked, false, String.join(", ", starting));
    }
    // The apps are let go (or were): this pass removes the last marks, and the next finds the stack awake.
    return new HibernationPlan(Step.WAKING_APPS, Set.of(), false,
        apps.stream().map(Component::part).collect(Collectors.joining(", ")));
  }

  private static HibernationPlan sleeping(ResolvedStack stack, List<Component> apps, List<Component> others,
      Collection<Deployment> deployments, Optional<StatefulSet> database, Collection<Pod> pods,
      boolean databaseAsleep) {
    Set<Component> held = new java.util.HashSet<>(apps);
    List<String> appsLeft = running(apps, deployments, pods);
    boolean othersMarked = others.stream().anyMatch(c -> asleep(find(deployments, c)));
    if (appsLeft.isEmpty() || othersMarked || databaseAsleep) {
      held.addAll(others);
    }
    List<String> othersLeft = running(others, deployments, pods);
    if (!appsLeft.isEmpty()) {
      return new HibernationPlan(Step.STOPPING_APPS, held, databaseAsleep, String.join(", ", appsLeft));
    }
    if (!othersLeft.isEmpty()) {
      return new HibernationPlan(Step.STOPPING_COMPONENTS, held, databaseAsleep, String.join(", ", othersLeft));
    }
    boolean embedded = stack.database().embedded();
    List<String> jobs = jobPods(pods);
    boolean holdDatabase = embedded && (databaseAsleep || jobs.isEmpty());
    List<String> left = new java.util.ArrayList<>(jobs);
    if (embedded && !(database.map(HibernationPlan::atZero).orElse(true) && noPod(pods, DATABASE_PART))) {
      left.add("database");
    }
    return left.isEmpty() ? new HibernationPlan(Step.HIBERNATED, held, holdDatabase, "")
        : new HibernationPlan(Step.STOPPING_DATABASE, held, holdDatabase, String.join(", ", left));
  }

  /** Hibernation holds anything, or suspends the backups. */
  public boolean active() {
    return step != Step.AWAKE;
  }

  /** The replicas hibernation holds a component at: zero, if it holds it. */
  public Optional<Integer> replicas(Component c) {
    return held.contains(c) ? Optional.of(0) : Optional.empty();
  }

  /** Scheduled backups do not run while the stack sleeps, goes to sleep, or wakes. */
  public boolean suspendsBackups() {
    return active();
  }

  /**
   * Marks a Deployment the plan holds {@link #ASLEEP_VALUE} (it tells a waking stack apart). While the stack wakes,
   * one it lets go is marked {@link #AWAKE_VALUE}: the mark changes in the same write that starts it, whatever the
   * API server does with an annotation no longer sent; once awake, the desired Deployments carry no mark at all.
   */
  public Deployment marked(Deployment d, Component c) {
    if (held.contains(c) || step.waking()) {
      if (d.getMetadata().getAnnotations() == null) {
        d.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
      }
      d.getMetadata().getAnnotations().put(ASLEEP, held.contains(c) ? ASLEEP_VALUE : AWAKE_VALUE);
    }
    return d;
  }

  /** The Deployment carries the hibernation mark. */
  static boolean asleep(Optional<Deployment> d) {
    return d.map(x -> x.getMetadata().getAnnotations()).map(a -> ASLEEP_VALUE.equals(a.get(ASLEEP))).orElse(false);
  }

  /** The parts of these components that still have a Deployment above zero or a pod. */
  private static List<String> running(List<Component> group, Collection<Deployment> deployments,
      Collection<Pod> pods) {
    return group.stream().filter(c -> !find(deployments, c).map(HibernationPlan::atZero).orElse(true)
        || !noPod(pods, c.part())).map(Component::part).toList();
  }

  /** Pods of the stack's Jobs (a backup, a restore) that have not ended: the database waits for them. */
  private static List<String> jobPods(Collection<Pod> pods) {
    if (pods == null) {
      return List.of("pods not known yet");
    }
    Set<String> parts = Set.of(java.util.Arrays.stream(Component.values()).map(Component::part)
        .toArray(String[]::new));
    return pods.stream().filter(p -> !ended(p)).filter(p -> {
      String part = part(p);
      // The maintenance page's pod is no Job's: it stays up while the stack sleeps (MaintenancePageDecision).
      return part != null && !parts.contains(part) && !DATABASE_PART.equals(part)
          && !MaintenancePageBuilder.PART.equals(part);
    }).map(p -> "pod " + p.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new)).stream().toList();
  }

  private static boolean noPod(Collection<Pod> pods, String part) {
    return pods != null && pods.stream().filter(p -> !ended(p)).noneMatch(p -> part.equals(part(p)));
  }

  private static boolean ended(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static String part(Pod p) {
    Map<String, String> labels = p.getMetadata().getLabels();
    return labels == null ? null : labels.get(Labels.COMPONENT);
  }

  /** Asked for zero replicas, and the controller reports none left (what it does not say is taken as none). */
  static boolean atZero(Deployment d) {
    Integer desired = d.getSpec() == null ? null : d.getSpec().getReplicas();
    Integer running = d.getStatus() == null ? null : d.getStatus().getReplicas();
    return desired != null && desired == 0 && (running == null || running == 0);
  }

  static boolean atZero(StatefulSet s) {
    Integer desired = s.getSpec() == null ? null : s.getSpec().getReplicas();
    return desired != null && desired == 0;
  }

  /** A woken component serves: its Deployment has a ready pod, or is meant to have none. */
  private static boolean ready(Optional<Deployment> d) {
    return d.map(x -> {
      Integer desired = x.getSpec() == null ? null : x.getSpec().getReplicas();
      Integer ready = x.getStatus() == null ? null : x.getStatus().getReadyReplicas();
      return (desired != null && desired == 0) || (ready != null && ready >= 1);
    }).orElse(false);
  }

  private static Optional<Deployment> find(Collection<Deployment> deployments, Component c) {
    return deployments.stream().filter(d -> d.getMetadata().getLabels() != null
        && c.part().equals(d.getMetadata().getLabels().get(Labels.COMPONENT))).findFirst();
  }
}
