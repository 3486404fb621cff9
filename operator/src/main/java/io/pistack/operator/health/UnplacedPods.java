package io.pistack.operator.health;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When a pod the scheduler could not place counts as Unschedulable: once that has lasted {@link #SETTLE}. The
 * scheduler also says "unschedulable" for a moment in the normal course of things (a claim the volume controller
 * binds a second later, a node still registering); reporting those would add a status write to nearly every
 * creation. A pod unplaced for less is seen as placed (its PodScheduled=False condition left out), and the
 * reconcile comes again when it would have settled, so a real shortage is still reported within a minute.
 */
public final class UnplacedPods {
  public static final Duration SETTLE = Duration.ofSeconds(20);

  private UnplacedPods() {}

  /** The pods, with the scheduler's verdict left out where it is younger than {@link #SETTLE}. */
  public static List<Pod> settled(List<Pod> pods, Instant now) {
    return pods.stream().map(p -> young(p, now) ? withoutVerdict(p) : p).toList();
  }

  /** When a reconcile should come again so a young verdict is judged once settled; empty when none is young. */
  public static Optional<Duration> recheck(List<Pod> pods, Instant now) {
    return pods.stream().filter(p -> young(p, now)).map(p -> since(p).orElse(now).plus(SETTLE))
        .min(Instant::compareTo).map(at -> Duration.between(now, at).plusMillis(100));
  }

  private static boolean young(Pod p, Instant now) {
    return WorkloadIssues.unschedulable(p).isPresent()
        && since(p).map(t -> Duration.between(t, now).compareTo(SETTLE) < 0).orElse(false);
  }

  private static Optional<Instant> since(Pod p) {
    return p.getStatus().getConditions().stream()
        .filter(c -> WorkloadIssues.POD_SCHEDULED.equals(c.getType()) && c.getLastTransitionTime() != null)
        .map(c -> {
          try {
            return Instant.parse(c.getLastTransitionTime());
          } catch (java.time.format.DateTimeParseException e) {
            return null;
          }
        })
        .filter(java.util.Objects::nonNull).findFirst();
  }

  private static Pod withoutVerdict(Pod p) {
    return new PodBuilder(p).editStatus().withConditions(p.getStatus().getConditions().stream()
        .filter(c -> !WorkloadIssues.POD_SCHEDULED.equals(c.getType())).toList()).endStatus().build();
  }
}
