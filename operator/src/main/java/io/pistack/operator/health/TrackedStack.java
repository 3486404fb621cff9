package io.pistack.operator.health;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The probe state of one stack the {@link HealthMonitor} follows: its targets, one {@link ProbeSlot}
 * each, which components serve, and the status last seen. Mutable fields are guarded by the instance;
 * the methods that return slots return those to probe at once (the monitor submits them outside the lock).
 */
final class TrackedStack {
  final ResourceID id;
  final String name;
  final List<ProbeTarget> targets;
  final Map<String, ProbeSlot> slots = new HashMap<>();
  final Set<String> serving = new HashSet<>();
  boolean servingKnown;
  /** The stack's status as last seen (written by whichever replica leads). */
  volatile PiStackStatus status;
  /** The uid and generation of the object the targets were resolved from (no generation: never reused). */
  private volatile String uid;
  private volatile Long generation;

  TrackedStack(ResourceID id, String name, List<ProbeTarget> targets) {
    this.id = id;
    this.name = name;
    this.targets = targets;
  }

  /**
   * The state for new targets of a stack: a target that did not change keeps its slot; a new one gets
   * a fresh slot (added to {@code fresh}), seeded from the status when the stack was not tracked
   * before; which components serve is carried over.
   */
  static TrackedStack next(TrackedStack old, ResourceID id, PiStack stack, List<ProbeTarget> targets,
      List<ProbeSlot> fresh) {
    TrackedStack next = new TrackedStack(id, stack.getMetadata().getName(), targets);
    next.status = stack.getStatus();
    for (ProbeTarget t : targets) {
      ProbeSlot kept = old == null ? null : old.slots.get(t.key());
      if (kept != null && kept.target.equals(t)) {
        next.slots.put(t.key(), kept);
      } else {
        ProbeSlot s = new ProbeSlot(t);
        s.published = old == null ? seed(stack.getStatus(), t) : null;
        next.slots.put(t.key(), s);
        fresh.add(s);
      }
    }
    if (old != null) {
      synchronized (old) {
        next.serving.addAll(old.serving);
        next.servingKnown = old.servingKnown;
      }
    }
    return next;
  }

  private static ProbeRecord seed(PiStackStatus status, ProbeTarget t) {
    if (status == null || status.components == null) {
      return null;
    }
    ComponentStatus cs = status.components.get(t.key());
    return cs == null ? null : ProbeRecords.fromStatus(t, cs.health).orElse(null);
  }

  /**
   * The records a replica publishes when it gains leadership: exactly those the stack's current
   * status describes (the previous leader's last word), by target key; a target the status says
   * nothing about has none. Whatever this replica recorded before it led is dropped.
   */
  static Map<String, ProbeRecord> recordsOnLeadership(List<ProbeTarget> targets, PiStackStatus status) {
    Map<String, ProbeRecord> out = new LinkedHashMap<>();
    for (ProbeTarget t : targets) {
      ProbeRecord r = seed(status, t);
      if (r != null) {
        out.put(t.key(), r);
      }
    }
    return out;
  }

  /**
   * Gaining leadership: the records are reseeded from the current status, failure counts, pending
   * targets and which components serve are forgotten; returns the slots that can be probed at once.
   */
  synchronized List<ProbeSlot> onLeadership() {
    Map<String, ProbeRecord> records = recordsOnLeadership(targets, status);
    slots.forEach((key, s) -> {
      s.published = records.get(key);
      s.failures = 0;
      s.pending = false;
    });
    serving.clear();
    servingKnown = false;
    List<ProbeSlot> probeNow = new ArrayList<>();
    slots.values().stream().filter(this::shouldProbe).forEach(probeNow::add);
    return probeNow;
  }

  /**
   * Which components have ready pods now; returns the slots to probe at once: every serving one on the
   * first call (a baseline, nothing pending), afterwards each that just started serving (now pending).
   */
  synchronized List<ProbeSlot> serving(Set<String> keys) {
    List<ProbeSlot> now = new ArrayList<>();
    if (servingKnown && serving.equals(keys)) {
      return now;
    }
    for (String key : keys) {
      ProbeSlot s = slots.get(key);
      if (s != null && !servingKnown) {
        now.add(s);
      } else if (s != null && !serving.contains(key)) {
        s.pending = true;
        now.add(s);
      }
    }
    serving.clear();
    serving.addAll(keys);
    servingKnown = true;
    return now;
  }

  /** What a reconcile reads: the published records and the pending targets. */
  synchronized StackHealth snapshot() {
    Map<String, ProbeRecord> records = new LinkedHashMap<>();
    Set<String> pending = new HashSet<>();
    slots.forEach((key, s) -> {
      if (s.published != null) {
        records.put(key, s.published);
      }
      if (s.pending) {
        pending.add(key);
      }
    });
    return new StackHealth(true, Map.copyOf(records), Set.copyOf(pending));
  }

  /** Records that {@link #targets} are those of this object (the API server bumps generation on each spec change). */
  synchronized void resolved(PiStack stack) {
    uid = stack.getMetadata().getUid();
    generation = stack.getMetadata().getGeneration();
  }

  /** True when the targets were resolved from this object at this generation: its spec is the one resolved. */
  synchronized boolean resolvedFrom(PiStack stack) {
    return generation != null && uid != null && uid.equals(stack.getMetadata().getUid())
        && generation.equals(stack.getMetadata().getGeneration());
  }

  /** An external database always; a component while it has ready pods. */
  synchronized boolean shouldProbe(ProbeSlot s) {
    return !s.target.service() || ProbeTarget.DATABASE.equals(s.target.key()) || serving.contains(s.target.key());
  }
}
