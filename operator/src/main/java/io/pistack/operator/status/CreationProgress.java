package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a changed status is written while a new stack is being created. A creation changes the status
 * component by component (each Deployment's first status, each pod ready, the database ready) within
 * seconds or minutes; writing every step cost 5 to 7 status writes per stack (issue 14). So, between a
 * new stack's first status and its Ready=True, a change that is only <em>progress</em> waits: the
 * first refresh comes {@link #REFRESH} after the first write, each later one {@link #LATER} after the
 * one before, so a creation that takes up to 11 minutes costs at most 3 status writes (its first
 * status, one refresh, Ready) and a slower one one more per 10 minutes, never one per component. The
 * reconcile that holds a change back comes again when it is due. (Doubling from one minute (1, 2, 4, 8)
 * cost 3.6 status writes per stack when 500 stacks were created at once and took 8 to 9 minutes each.)
 *
 * <p>Progress is what changes while the headline stays "not ready yet, nothing at fault": replica
 * counts, the {@code <Component>Ready} and DatabaseReady conditions, the list Ready and Progressing
 * wait for, the dashboard's replicas, probe results. Anything else is written at once, as always: the
 * first status, Ready turning True, a fault (Degraded), a pause, a gate, a new generation, another
 * image, URL, warning, backup or restore.
 *
 * <p>A creation waiting for the scheduler (Ready=False Unschedulable, Degraded=False: a claim not bound
 * yet, a node still to come) is still a creation without a fault: each turn to Unschedulable (the stack's,
 * a component's, the database's) is written at once (it may ask the user to act), the progress made
 * meanwhile waits as above, and so does the end of
 * that wait (Unschedulable back to ComponentsNotReady), but while the stack is Unschedulable its progress
 * waits {@link #REFRESH} at most, so that a resolved shortage does not stay on show for ten minutes. Under
 * load nearly every second creation of the bench met a claim bound after the scheduler's 20 s
 * (UnplacedPods), and each of its progress steps was written: 4 to 6 status writes per stack.
 *
 * <p>Only creations this process saw begin are paced (their first status was written here); a
 * restarted operator, an upgrade and a recovering stack write every change as before (docs/status.md,
 * "How often the status is written"). The decision is pure ({@link #progressOnly}); the map holds,
 * per stack being created, when its status was last written.
 */
final class CreationProgress {
  /** How long a creation's progress first goes unwritten. */
  static final Duration REFRESH = Duration.ofSeconds(60);
  /** How long it goes unwritten after each refresh. */
  static final Duration LATER = Duration.ofMinutes(10);
  /** A creation whose status was not written for this long is forgotten (e.g. its stack was deleted). */
  static final Duration FORGET = Duration.ofHours(1);

  /** Per stack being created: when its status was last written, and how long its progress may wait now. */
  private record Pace(Instant last, Duration patience) {}

  private final Map<ResourceID, Pace> paces = new ConcurrentHashMap<>();

  /**
   * How long to hold {@code next} back instead of writing it, or empty to write it now. Called only
   * when {@code next} differs from {@code stored}.
   */
  Optional<Duration> hold(ResourceID id, PiStackStatus stored, PiStackStatus next, Instant now) {
    Pace pace = paces.get(id);
    if (pace == null || !progressOnly(stored, next)) {
      return Optional.empty();
    }
    Instant due = pace.last().plus(pace.patience());
    return now.isBefore(due) ? Optional.of(Duration.between(now, due)) : Optional.empty();
  }

  /** Records that {@code next} was written over {@code stored}. */
  void written(ResourceID id, PiStackStatus stored, PiStackStatus next, Instant now) {
    if (Conditions.isTrue(next.conditions, ConditionType.READY)) {
      paces.remove(id);
    } else if (stored == null && notReadyYet(next)) {
      paces.values().removeIf(p -> p.last().isBefore(now.minus(FORGET)));
      paces.put(id, new Pace(now, REFRESH));
    } else {
      boolean refresh = progressOnly(stored, next);
      Duration patience = unschedulable(next) ? REFRESH : null;
      paces.computeIfPresent(id, (k, p) -> new Pace(now, patience != null ? patience : refresh ? LATER : p.patience()));
    }
  }

  /** The stack was deleted: its pace goes with it (else it stayed until {@link #FORGET} passed). */
  void forget(ResourceID id) {
    paces.remove(id);
  }

  /** Stacks whose creation is being paced (for tests). */
  int creating() {
    return paces.size();
  }

  /** True when {@code next} only carries {@code stored}'s progress further: both not ready, no fault, same headline. */
  static boolean progressOnly(PiStackStatus stored, PiStackStatus next) {
    return stored != null && next != null && notReadyYet(stored) && notReadyYet(next)
        && !newlyUnschedulable(stored, next) && headline(stored).equals(headline(next));
  }

  /** Ready=False ComponentsNotReady or Unschedulable, and Degraded=False: waiting, with nothing at fault. */
  static boolean notReadyYet(PiStackStatus s) {
    Condition ready = Conditions.find(s.conditions, ConditionType.READY);
    Condition degraded = Conditions.find(s.conditions, ConditionType.DEGRADED);
    return ready != null && "False".equals(ready.getStatus())
        && (Reason.COMPONENTS_NOT_READY.is(ready.getReason()) || Reason.UNSCHEDULABLE.is(ready.getReason()))
        && degraded != null && "False".equals(degraded.getStatus());
  }

  /** A condition (Ready, a component's, the database's) that turned Unschedulable: news, it may ask the user to act. */
  private static boolean newlyUnschedulable(PiStackStatus stored, PiStackStatus next) {
    return next.conditions.stream().anyMatch(c -> Reason.UNSCHEDULABLE.is(c.getReason())
        && !Optional.ofNullable(Conditions.find(stored.conditions, c.getType()))
            .map(b -> Reason.UNSCHEDULABLE.is(b.getReason())).orElse(false));
  }

  /** Ready=False Unschedulable: pods wait for a node or a volume. */
  private static boolean unschedulable(PiStackStatus s) {
    Condition ready = Conditions.find(s.conditions, ConditionType.READY);
    return ready != null && Reason.UNSCHEDULABLE.is(ready.getReason());
  }

  /** {@code <Component>Ready} or DatabaseReady: a condition whose flips are a creation's progress (ConditionType). */
  static boolean isProgress(Condition c) {
    return ConditionType.of(c.getType()).map(ConditionType::progress).orElse(false);
  }

  /** What a change must leave alone to be progress. */
  private static List<Object> headline(PiStackStatus s) {
    List<Object> h = new ArrayList<>();
    h.add(s.observedGeneration);
    h.add(s.url);
    h.add(s.warnings);
    h.add(s.backup);
    h.add(s.restore);
    List<String> conditions = new ArrayList<>();
    for (Condition c : s.conditions) {
      // The components' and the database's readiness by type alone (that is the progress); every other
      // condition (the stack's own, a backup, its verification, a restore or upgrade gate) by status and reason.
      // Ready by status alone: its reason is one of the two waiting ones here (notReadyYet), and which one
      // is progressOnly's to judge (the turn to Unschedulable is news, the way back is progress).
      conditions.add(isProgress(c) ? c.getType() : ConditionType.READY.wire().equals(c.getType())
          ? c.getType() + "=" + c.getStatus() : c.getType() + "=" + c.getStatus() + "/" + c.getReason());
    }
    conditions.sort(null); // their order is no news
    h.add(conditions);
    for (Map.Entry<String, ComponentStatus> e : s.components.entrySet()) {
      h.add(e.getKey() + "@" + e.getValue().image);
    }
    return h;
  }
}
