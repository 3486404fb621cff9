package io.pistack.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pistack.operator.health.Issue;
import io.pistack.operator.health.ProbeRecord;
import io.pistack.operator.health.ProbeTarget;
import io.pistack.operator.health.StackHealth;
import io.pistack.operator.health.WorkloadIssues;
import io.pistack.operator.model.ResolvedStack;
import java.util.List;
import java.util.Optional;

/**
 * The verdict on the repository database, for the DatabaseReady condition. Embedded: the
 * StatefulSet's readiness and its pod's faults. External: the credentials Secret, then the
 * operator's TCP check of host:port. Pure.
 *
 * @param status "True", "False" or "Unknown"
 * @param issue a fault that makes the stack Degraded, if any
 */
public record DatabaseVerdict(String status, String reason, String message, Optional<Issue> issue) {
  public boolean ready() {
    return "True".equals(status);
  }

  public static DatabaseVerdict of(ResolvedStack stack, Optional<StatefulSet> sts, List<Pod> dbPods,
      List<String> missingCredentials, StackHealth health, Condition previous) {
    if (!missingCredentials.isEmpty()) {
      String m = "database credentials: " + String.join("; ", missingCredentials);
      return fault(missingCredentials.stream().anyMatch(p -> p.endsWith(ReferencedSecrets.ROOT_REFUSED)) ? Reason.ROOT_USER_REFUSED
          : missingCredentials.stream().anyMatch(p -> p.contains(ReferencedSecrets.USER_NAME_REFUSED)) ? Reason.USER_NAME_REFUSED
          : Reason.CREDENTIALS_MISSING, m);
    }
    if (stack.database().embedded()) {
      String name = "embedded MariaDB " + stack.databaseName();
      List<Issue> issues = WorkloadIssues.of("database", dbPods);
      if (!issues.isEmpty()) {
        return new DatabaseVerdict("False", issues.get(0).reason(), issues.get(0).message(),
            Optional.of(issues.get(0)));
      }
      if (sts.isEmpty()) {
        return new DatabaseVerdict("False", Reason.NOT_CREATED.wire(), name + " not created yet", Optional.empty());
      }
      boolean ready = sts.map(StatefulSet::getStatus).map(s -> s.getReadyReplicas() != null
          && s.getReadyReplicas() >= 1).orElse(false);
      Optional<Issue> unplaced = ready ? Optional.empty() : WorkloadIssues.unschedulable("database", dbPods);
      if (unplaced.isPresent()) {
        return new DatabaseVerdict("False", unplaced.get().reason(), unplaced.get().message(), Optional.empty());
      }
      return ready ? new DatabaseVerdict("True", Reason.EMBEDDED_READY.wire(), name + " is ready", Optional.empty())
          : new DatabaseVerdict("False", Reason.EMBEDDED_STARTING.wire(), name + " is starting", Optional.empty());
    }
    String where = "external database " + stack.database().host() + ":" + stack.database().port();
    if (!health.enabled()) {
      return new DatabaseVerdict("True", Reason.NOT_CHECKED.wire(), where + " (reachability checks are off)", Optional.empty());
    }
    ProbeRecord probe = health.get(ProbeTarget.DATABASE).orElse(null);
    if (probe == null) {
      // Not probed since the operator started: keep what the last check said about this target.
      if (previous != null && previous.getMessage() != null && previous.getMessage().startsWith(where + " ")
          && (Reason.REACHABLE.is(previous.getReason()) || Reason.DATABASE_UNREACHABLE.is(previous.getReason()))) {
        return new DatabaseVerdict(previous.getStatus(), previous.getReason(), previous.getMessage(),
            Reason.DATABASE_UNREACHABLE.is(previous.getReason())
                ? Optional.of(new Issue(Reason.DATABASE_UNREACHABLE.wire(), previous.getMessage())) : Optional.empty());
      }
      return new DatabaseVerdict("Unknown", Reason.CHECKING.wire(), where + ": checking reachability", Optional.empty());
    }
    if (!probe.result().healthy()) {
      return fault(Reason.DATABASE_UNREACHABLE, where + " is unreachable from the operator: " + probe.result().message());
    }
    return new DatabaseVerdict("True", Reason.REACHABLE.wire(), where + " is reachable", Optional.empty());
  }

  private static DatabaseVerdict fault(Reason reason, String message) {
    return new DatabaseVerdict("False", reason.wire(), message, Optional.of(new Issue(reason.wire(), message)));
  }
}
