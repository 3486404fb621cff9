package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;

/**
 * Where a Job stands, read from the status the Job controller writes: its Complete/Failed
 * conditions (and their early forms SuccessCriteriaMet/FailureTarget) and the completion time.
 * The exit code of a failed Job comes from the script itself: the one-line JSON it leaves as its
 * container's termination message ({@code {"error":"...","exitCode":3}}), never from the Job
 * controller's prose. Without that message (not read, or the pod is gone) the exit code is unknown.
 *
 * @param exitCode the script's exit code, from its termination message; empty when unknown
 * @param finishedAt completionTime on success, the failure condition's transition time on failure
 */
public record JobOutcome(State state, Optional<Integer> exitCode, String message, String finishedAt) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public enum State { ACTIVE, SUCCEEDED, FAILED }

  /** The outcome without the pod's termination message: a failure's exit code is unknown. */
  public static JobOutcome of(Job job) {
    return of(job, null);
  }

  /**
   * @param terminationMessage the script's termination message (one JSON line), or null when
   *     unknown; its {@code exitCode} is the failed Job's exit code
   */
  public static JobOutcome of(Job job, String terminationMessage) {
    var status = job.getStatus();
    List<JobCondition> conditions = status == null || status.getConditions() == null
        ? List.of() : status.getConditions();
    Optional<JobCondition> failed = find(conditions, "Failed").or(() -> find(conditions, "FailureTarget"));
    if (failed.isPresent()) {
      JobCondition c = failed.get();
      String text = join(c.getReason(), c.getMessage());
      return new JobOutcome(State.FAILED, exitCode(terminationMessage), text, c.getLastTransitionTime());
    }
    Optional<JobCondition> done = find(conditions, "Complete").or(() -> find(conditions, "SuccessCriteriaMet"));
    if (done.isPresent()) {
      String at = status.getCompletionTime() != null ? status.getCompletionTime() : done.get().getLastTransitionTime();
      return new JobOutcome(State.SUCCEEDED, Optional.empty(), "", at);
    }
    return new JobOutcome(State.ACTIVE, Optional.empty(), "", null);
  }

  public boolean succeeded() {
    return state == State.SUCCEEDED;
  }

  public boolean failed() {
    return state == State.FAILED;
  }

  public boolean finished() {
    return state != State.ACTIVE;
  }

  /** The {@code exitCode} of a script's JSON termination message; empty when absent or not JSON. */
  static Optional<Integer> exitCode(String terminationMessage) {
    if (terminationMessage == null || !terminationMessage.trim().startsWith("{")) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(terminationMessage);
      JsonNode code = n == null ? null : n.get("exitCode");
      return code != null && code.isInt() ? Optional.of(code.asInt()) : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static Optional<JobCondition> find(List<JobCondition> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }

  private static String join(String reason, String message) {
    if (message == null || message.isBlank()) {
      return reason == null ? "failed" : reason;
    }
    return reason == null ? message : reason + ": " + message;
  }
}
