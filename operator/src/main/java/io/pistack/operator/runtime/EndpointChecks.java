package io.pistack.operator.runtime;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.pistack.operator.runtime.HttpEndpoints.Check;
import io.pistack.operator.runtime.OperatorRuntime.State;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The answers of /healthz and /readyz, and the start's "every informer synced", from the runtime's
 * state and what JOSDK's runtime information says about the informers and event sources
 * (the semantics are on {@link OperatorRuntime}).
 */
final class EndpointChecks {
  private final Operator operator;
  private final Optional<LeaderElection> election;

  EndpointChecks(Operator operator, Optional<LeaderElection> election) {
    this.operator = operator;
    this.election = election;
  }

  Check liveness(State state) {
    return switch (state) {
      case NEW, STARTING -> Check.ok("starting");
      case STOPPING -> Check.ok("stopping");
      case STOPPED -> Check.failed("stopped");
      case FAILED -> Check.failed("start failed");
      case STARTED -> stoppedInformers().map(Check::failed).orElseGet(() -> Check.ok("ok"));
    };
  }

  Check readiness(State state) {
    if (state != State.STARTED) {
      return Check.failed(state.name().toLowerCase(java.util.Locale.ROOT));
    }
    return unhealthy().map(Check::failed).orElseGet(() -> Check.ok(
        election.map(e -> e.leading() ? "ready (leader)" : "ready (standby)").orElse("ready")));
  }

  /** "stopped informers: controller/source, ..." or empty while every informer runs (watching or reconnecting). */
  private Optional<String> stoppedInformers() {
    RuntimeInfo info = operator.getRuntimeInfo();
    TreeSet<String> names = new TreeSet<>();
    for (var c : info.unhealthyInformerWrappingEventSourceHealthIndicator().entrySet()) {
      for (var source : c.getValue().entrySet()) {
        io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator<?> indicator = source.getValue();
        Map<String, io.javaoperatorsdk.operator.health.InformerHealthIndicator> informers =
            indicator.informerHealthIndicators();
        if (informers.values().stream().anyMatch(i -> !i.isRunning())) {
          names.add(c.getKey() + "/" + source.getKey());
        }
      }
    }
    return names.isEmpty() ? Optional.empty() : Optional.of("stopped informers: " + String.join(", ", names));
  }

  /** "informers not synced: controller/source, ..." or empty once every informer has listed its kind. */
  Optional<String> unsyncedInformers() {
    TreeSet<String> names = new TreeSet<>();
    for (var c : operator.getRuntimeInfo().unhealthyInformerWrappingEventSourceHealthIndicator().entrySet()) {
      for (var source : c.getValue().entrySet()) {
        io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator<?> indicator = source.getValue();
        if (indicator.informerHealthIndicators().values().stream().anyMatch(i -> !i.hasSynced())) {
          names.add(c.getKey() + "/" + source.getKey());
        }
      }
    }
    return names.isEmpty() ? Optional.empty() : Optional.of("informers not synced: " + String.join(", ", names));
  }

  /** "unhealthy event sources: controller/source, ..." or empty when all are healthy. */
  private Optional<String> unhealthy() {
    RuntimeInfo info = operator.getRuntimeInfo();
    if (info.allEventSourcesAreHealthy()) {
      return Optional.empty();
    }
    TreeSet<String> names = new TreeSet<>();
    for (Map.Entry<String, ? extends Map<String, ?>> c : info.unhealthyEventSources().entrySet()) {
      c.getValue().keySet().forEach(source -> names.add(c.getKey() + "/" + source));
    }
    return Optional.of("unhealthy event sources: " + String.join(", ", names));
  }
}
