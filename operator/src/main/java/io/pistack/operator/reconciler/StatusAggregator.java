package io.pistack.operator.reconciler;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pistack.operator.api.v1alpha1.ComponentStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.ResolvedStack;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns an {@link Observation} into the PiStack's status. Pure: the same observation and
 * previous status always give an equal status, so an unchanged stack is never written.
 */
public final class StatusAggregator {
  private final Clock clock;

  public StatusAggregator(Clock clock) {
    this.clock = clock;
  }

  public PiStackStatus aggregate(PiStack stack, Observation seen) {
    ResolvedStack resolved = new ResolvedStack(stack);
    PiStackStatus previous = stack.getStatus();
    long generation = stack.getMetadata().getGeneration() == null ? 0 : stack.getMetadata().getGeneration();
    Conditions conditions = new Conditions(previous == null ? null : previous.conditions, generation, clock);
    PiStackStatus status = new PiStackStatus();
    status.observedGeneration = generation;
    status.url = resolved.publicUrl().orElse(null);

    if (!seen.invalidSpec().isEmpty()) {
      String message = String.join("; ", seen.invalidSpec());
      conditions.set(Conditions.READY, false, "InvalidSpec", message)
          .set(Conditions.PROGRESSING, false, "InvalidSpec", "fix the spec to continue")
          .set(Conditions.DEGRADED, true, "InvalidSpec", message);
      status.conditions = conditions.build();
      status.components = previous == null ? status.components : previous.components;
      status.dashboardReplicas = previous == null ? null : previous.dashboardReplicas;
      return status;
    }

    List<String> notReady = new ArrayList<>();
    for (Component c : resolved.enabledComponents()) {
      Deployment d = seen.deployments().get(c);
      ComponentStatus cs = componentStatus(d);
      status.components.put(c.part(), cs);
      boolean ready = isAvailable(d);
      conditions.set(c.conditionType(), ready, ready ? "Available" : d == null ? "NotCreated" : "NotAvailable",
          replicasMessage(c, cs));
      if (!ready) {
        notReady.add(c.part());
      }
    }
    if (resolved.enabled(Component.DASHBOARD)) {
      ComponentStatus dash = status.components.get(Component.DASHBOARD.part());
      status.dashboardReplicas = n(dash.readyReplicas) + "/" + n(dash.desiredReplicas);
    }

    boolean dbReady = databaseReady(resolved, seen.database());
    conditions.set(Conditions.DATABASE_READY, dbReady,
        resolved.embeddedDatabase() ? (dbReady ? "EmbeddedReady" : "EmbeddedStarting") : "External",
        resolved.embeddedDatabase() ? "embedded MariaDB " + resolved.databaseName()
            : "external database " + resolved.databaseHost() + ":" + resolved.databasePort());
    if (!dbReady) {
      notReady.add("database");
    }

    if (seen.applyError().isPresent()) {
      String m = seen.applyError().get();
      conditions.set(Conditions.READY, false, "ReconcileFailed", m)
          .set(Conditions.PROGRESSING, false, "ReconcileFailed", m)
          .set(Conditions.DEGRADED, true, "ReconcileFailed", m);
    } else if (!seen.missingReferences().isEmpty()) {
      String m = String.join("; ", seen.missingReferences());
      conditions.set(Conditions.READY, false, "SecretNotFound", m)
          .set(Conditions.PROGRESSING, false, "SecretNotFound", m)
          .set(Conditions.DEGRADED, true, "SecretNotFound", m);
    } else if (notReady.isEmpty()) {
      conditions.set(Conditions.READY, true, "AllComponentsReady", "all enabled components are available")
          .set(Conditions.PROGRESSING, false, "RolloutComplete", "")
          .set(Conditions.DEGRADED, false, "AsExpected", "");
    } else {
      String m = "waiting for " + String.join(", ", notReady);
      conditions.set(Conditions.READY, false, "ComponentsNotReady", m)
          .set(Conditions.PROGRESSING, true, "RollingOut", m)
          .set(Conditions.DEGRADED, false, "AsExpected", "");
    }
    status.conditions = conditions.build();
    return status;
  }

  static ComponentStatus componentStatus(Deployment d) {
    ComponentStatus cs = new ComponentStatus();
    if (d == null) {
      cs.desiredReplicas = 0;
      cs.readyReplicas = 0;
      return cs;
    }
    DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    cs.desiredReplicas = d.getSpec().getReplicas() != null ? d.getSpec().getReplicas()
        : n(s.getReplicas());
    cs.readyReplicas = n(s.getReadyReplicas());
    cs.updatedReplicas = n(s.getUpdatedReplicas());
    cs.availableReplicas = n(s.getAvailableReplicas());
    cs.image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    return cs;
  }

  /** Available: the controller saw the current spec and every desired pod is updated and available. */
  static boolean isAvailable(Deployment d) {
    if (d == null || d.getStatus() == null) {
      return false;
    }
    DeploymentStatus s = d.getStatus();
    boolean observed = s.getObservedGeneration() != null
        && s.getObservedGeneration() >= n(d.getMetadata().getGeneration());
    int desired = d.getSpec().getReplicas() != null ? d.getSpec().getReplicas() : Math.max(1, n(s.getReplicas()));
    return observed && n(s.getUpdatedReplicas()) >= desired && n(s.getAvailableReplicas()) >= desired;
  }

  private static boolean databaseReady(ResolvedStack stack, java.util.Optional<StatefulSet> db) {
    if (!stack.embeddedDatabase()) {
      return true;
    }
    return db.map(StatefulSet::getStatus).map(s -> n(s.getReadyReplicas()) >= 1).orElse(false);
  }

  private static String replicasMessage(Component c, ComponentStatus cs) {
    return c.part() + ": " + n(cs.readyReplicas) + "/" + n(cs.desiredReplicas) + " ready";
  }

  private static int n(Integer i) {
    return i == null ? 0 : i;
  }

  private static long n(Long l) {
    return l == null ? 0 : l;
  }

  static boolean same(PiStackStatus a, PiStackStatus b) {
    return Objects.equals(a, b);
  }
}
