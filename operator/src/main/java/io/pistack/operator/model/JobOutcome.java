package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a Job stands, read from the status the Job controller writes: its Complete/Failed
 * conditions (and their early forms SuccessCriteriaMet/FailureTarget), the completion time, and
 * the exit code when a pod failure policy rule failed it ("... failed with exit code 3 matching
 * FailJob rule at index 0").
 *
 * @param finishedAt completionTime on success, the failure condition's transition time on failure
 */
public record JobOutcome(State state, Optional<Integer> exitCode, String message, String finishedAt) {
  private static final Pattern EXIT_CODE = Pattern.compile("exit code (\\d+)");

  public enum State { ACTIVE, SUCCEEDED, FAILED }

  public static JobOutcome of(Job job) {
    var status = job.getStatus();
    List<JobCondition> conditions = status == null || status.getConditions() == null
        ? List.of() : status.getConditions();
    Optional<JobCondition> failed = find(conditions, "Failed").or(() -> find(conditions, "FailureTarget"));
    if (failed.isPresent()) {
      JobCondition c = failed.get();
      String text = join(c.getReason(), c.getMessage());
      Optional<Integer> exit = Optional.empty();
      if (c.getMessage() != null) {
        Matcher m = EXIT_CODE.matcher(c.getMessage());
        if (m.find()) {
          exit = Optional.of(Integer.parseInt(m.group(1)));
        }
      }
      return new JobOutcome(State.FAILED, exit, text, c.getLastTransitionTime());
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
