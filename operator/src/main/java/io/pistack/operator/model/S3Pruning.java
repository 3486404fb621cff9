package io.pistack.operator.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pistack.operator.api.v1alpha1.PiBackup;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code keep} on an S3 target, decided per PiBackup beyond keep ({@link BackupPruning#beyondKeep}): the data goes
 * first, by a prune Job running {@code s3.sh delete <name>} (one per PiBackup, named from its uid), and the PiBackup
 * only after that Job succeeded, so the list of objects never claims less than the bucket holds. A backup still
 * under Object Lock is kept, object and data: the script refuses with exit 3 and its termination message says until
 * when; once that time has passed the failed Job is replaced (deleted, then made again on a later pass). Nothing
 * starts while a restore of the stack is in progress. A PiBackup whose run never named a backup (it failed before
 * the upload) has no data: it is deleted at once. Only with {@code spec.backup.keep} set: without it the bucket's
 * lifecycle rules decide, as before, and the bucket's credentials need no right to delete. Pure: the caller reads
 * the Jobs and makes the requests.
 */
public final class S3Pruning {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** s3.sh delete's exit code when a version is still under Object Lock. */
  public static final int LOCKED_EXIT = 3;

  private S3Pruning() {}

  public enum Action {
    /** No prune Job yet: make it. */
    CREATE_JOB,
    /** The prune Job runs: wait for it. */
    WAIT,
    /** The data is gone (or there never was any): delete the PiBackup. */
    DELETE_BACKUP,
    /** Under Object Lock until {@code until} (null: a legal hold, no date): the PiBackup and its data stay. */
    LOCKED,
    /** The lock has expired since the prune Job was refused: delete that Job, a later pass makes it again. */
    REPLACE_JOB,
    /** The prune Job failed for another reason (S3 error, permission): the PiBackup stays, {@code message} says why. */
    FAILED
  }

  /** What to do about one PiBackup beyond keep. */
  public record Decision(String backup, Action action, String until, String message) {}

  /** A prune Job as far as the decision needs it: its outcome and its container's termination message. */
  public record PruneJob(JobOutcome outcome, String terminationMessage) {}

  /**
   * @param backups the stack's PiBackups (the user's own are left alone)
   * @param jobs the prune Jobs by the name of the PiBackup they prune
   * @param restoring a restore of the stack is in progress: nothing is decided
   */
  public static List<Decision> plan(BackupSettings settings, Collection<PiBackup> backups, Map<String, PruneJob> jobs,
      boolean restoring, Instant now) {
    if (!settings.enabled() || settings.s3().isEmpty() || !settings.keepSet() || restoring) {
      return List.of();
    }
    List<Decision> out = new ArrayList<>();
    for (String name : BackupPruning.beyondKeep(backups, settings.keep())) {
      PiBackup b = backups.stream().filter(x -> name.equals(x.getMetadata().getName())).findFirst().orElseThrow();
      out.add(decide(b, Optional.ofNullable(jobs.get(name)), now));
    }
    return out;
  }

  public static Decision decide(PiBackup b, Optional<PruneJob> job, Instant now) {
    String name = b.getMetadata().getName();
    String data = b.getStatus() == null ? null : b.getStatus().backupName;
    if (data == null || data.isBlank()) {
      return new Decision(name, Action.DELETE_BACKUP, null, "no data was uploaded");
    }
    if (job.isEmpty()) {
      return new Decision(name, Action.CREATE_JOB, null, "");
    }
    JobOutcome outcome = job.get().outcome();
    if (!outcome.finished()) {
      return new Decision(name, Action.WAIT, null, "");
    }
    if (outcome.succeeded()) {
      return new Decision(name, Action.DELETE_BACKUP, null, "its data was deleted from the bucket");
    }
    JsonNode msg = json(job.get().terminationMessage());
    if (msg == null || msg.path("exitCode").asInt(-1) != LOCKED_EXIT) {
      String why = msg != null && msg.hasNonNull("error") ? msg.get("error").asText() : outcome.message();
      return new Decision(name, Action.FAILED, null, why);
    }
    String until = msg.hasNonNull("retainUntil") ? msg.get("retainUntil").asText() : null;
    boolean held = msg.path("legalHold").asBoolean(false);
    Optional<Instant> end = instant(until);
    if (!held && (end.isEmpty() || !end.get().isAfter(now))) {
      return new Decision(name, Action.REPLACE_JOB, until, "the Object Lock retention has expired");
    }
    String why = held ? "a legal hold is on" : "Object Lock "
        + (msg.hasNonNull("mode") ? msg.get("mode").asText() + " " : "") + "retention until " + until;
    return new Decision(name, Action.LOCKED, held ? null : until, why);
  }

  private static JsonNode json(String text) {
    if (text == null || !text.trim().startsWith("{")) {
      return null;
    }
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      return null;
    }
  }

  private static Optional<Instant> instant(String text) {
    try {
      return text == null ? Optional.empty() : Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
