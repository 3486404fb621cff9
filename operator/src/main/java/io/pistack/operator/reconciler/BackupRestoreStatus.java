package io.pistack.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.pistack.operator.api.v1alpha1.BackupStatus;
import io.pistack.operator.api.v1alpha1.BackupVerificationStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.api.v1alpha1.RestoreStatus.Phase;
import io.pistack.operator.model.BackupCronJobBuilder;
import io.pistack.operator.model.BackupJobBuilder;
import io.pistack.operator.model.BackupSettings;
import io.pistack.operator.model.JobOutcome;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.RestoreDecision;
import io.pistack.operator.model.UpgradeDecision;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The backup, restore and upgrade-gate part of the status, added to what {@link StatusAggregator}
 * computed: status.backup (last success and failure of scheduled and pre-upgrade backups),
 * status.restore, the BackupFailing condition, and the Ready/Progressing/Degraded reasons while a
 * restore or a pre-upgrade backup holds the stack. Pure: the same inputs give an equal status, so
 * a converged stack is not written. Messages come from the scripts and the Job controller and
 * never contain credentials.
 */
public final class BackupRestoreStatus {
  public static final String BACKUP_FAILING = "BackupFailing";
  public static final String PRE_UPGRADE_BACKUP_FAILED = "PreUpgradeBackupFailed";
  public static final String RESTORE_REFUSED = "RestoreRefused";
  public static final String RESTORE_FAILED = "RestoreFailed";
  /**
   * Degraded reasons of a held upgrade or restore. Their Warning events come from {@link
   * TransitionEvents} (Degraded turning True), under these reasons.
   */
  public static final Set<String> GATE_FAILURES = Set.of(PRE_UPGRADE_BACKUP_FAILED, RESTORE_REFUSED, RESTORE_FAILED);
  static final Set<String> BACKUP_KINDS = Set.of(BackupCronJobBuilder.SCHEDULED, BackupJobBuilder.PRE_UPGRADE);
  /** Ready reasons this class may replace; error reasons (invalid spec, apply failures) win. */
  static final Set<String> REPLACEABLE = Set.of("AllComponentsReady", "ComponentsNotReady");
  static final int MAX_MESSAGE = 400;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clock clock;

  public BackupRestoreStatus(Clock clock) {
    this.clock = clock;
  }

  /** An event to record on the PiStack. */
  public record Notice(boolean warning, String reason, String message) {}

  /** Finished Jobs whose outcome the status does not hold yet: their pods' messages add detail. */
  public static List<Job> needingDetail(PiStack stack, LifecyclePlan plan, Collection<Job> jobs) {
    BackupStatus prev = previousBackup(stack);
    List<Job> out = new ArrayList<>();
    latest(jobs, JobOutcome.State.SUCCEEDED).filter(j -> newer(finishedAt(j), prev.lastSuccessfulTime))
        .ifPresent(out::add);
    latest(jobs, JobOutcome.State.FAILED).filter(j -> newer(finishedAt(j), prev.lastFailureTime))
        .ifPresent(out::add);
    VerificationStatus.unrecorded(stack, jobs).ifPresent(out::add);
    RestoreDecision r = plan.restore();
    RestoreStatus prevRestore = stack.getStatus() == null ? null : stack.getStatus().restore;
    if (r.outcome().map(JobOutcome::finished).orElse(false) && !sameRestore(prevRestore, r)) {
      jobs.stream().filter(j -> r.jobName().equals(j.getMetadata().getName())).findFirst()
          .ifPresent(out::add);
    }
    return out;
  }

  /**
   * Adds status.backup, status.restore and the gate conditions to {@code next}.
   *
   * @param messages termination messages of (some of) the Jobs, by Job name
   * @return events to record
   */
  public List<Notice> apply(PiStack stack, PiStackStatus next, LifecyclePlan plan, Collection<Job> jobs,
      Map<String, String> messages) {
    List<Notice> notices = new ArrayList<>();
    ResolvedStack resolved = new ResolvedStack(stack);
    BackupSettings settings = BackupSettings.of(resolved);
    PiStackStatus previous = stack.getStatus();
    long generation = stack.getMetadata().getGeneration() == null ? 0 : stack.getMetadata().getGeneration();
    Conditions conditions = new Conditions(previous == null ? null : previous.conditions, generation, clock);
    List<String> setTypes = new ArrayList<>();

    BackupStatus backup = backupStatus(stack, settings, jobs, messages, notices);
    if (settings.enabled()) {
      boolean failing = backup.lastFailureTime != null
          && (backup.lastSuccessfulTime == null || newer(backup.lastFailureTime, backup.lastSuccessfulTime));
      if (failing) {
        conditions.set(BACKUP_FAILING, true, "BackupFailed", backup.lastFailureMessage);
      } else if (backup.lastSuccessfulTime != null) {
        conditions.set(BACKUP_FAILING, false, "BackupSucceeded", "last successful backup at "
            + backup.lastSuccessfulTime + (backup.lastBackupName == null ? "" : ": " + backup.lastBackupName));
      } else {
        conditions.set(BACKUP_FAILING, false, "NoBackupYet", "no backup has completed yet");
      }
      setTypes.add(BACKUP_FAILING);
    }
    backup.lastVerified = VerificationStatus.next(stack, backup.lastVerified, jobs, messages);
    if (backup.lastVerified != null && !backup.lastVerified.equals(previousBackup(stack).lastVerified)
        && backup.lastVerified.result == BackupVerificationStatus.Result.Failed) {
      notices.add(new Notice(true, "BackupVerificationFailed", backup.lastVerified.message));
    }
    next.backup = isEmpty(backup) ? null : backup;
    if (settings.verifyEnabled()) {
      VerificationStatus.setCondition(conditions, backup);
      setTypes.add(VerificationStatus.CONDITION);
    }

    next.restore = restoreStatus(stack, plan.restore(), messages, notices);

    Condition ready = find(next.conditions, Conditions.READY);
    if (ready != null && REPLACEABLE.contains(ready.getReason())) {
      gateUpgrade(plan.upgrade(), backup, conditions, setTypes, previous, notices);
      gateRestore(next.restore, conditions, setTypes);
    }
    next.conditions = merge(next.conditions, conditions.build(), setTypes);
    return notices;
  }

  // ---- status.backup ------------------------------------------------------------------------

  private BackupStatus backupStatus(PiStack stack, BackupSettings settings, Collection<Job> jobs,
      Map<String, String> messages, List<Notice> notices) {
    BackupStatus prev = previousBackup(stack);
    BackupStatus b = copy(prev);
    Optional<Job> ok = latest(jobs, JobOutcome.State.SUCCEEDED);
    if (ok.isPresent() && newer(finishedAt(ok.get()), prev.lastSuccessfulTime)) {
      Job j = ok.get();
      b.lastSuccessfulTime = finishedAt(j);
      JsonNode m = json(messages.get(j.getMetadata().getName()));
      b.lastBackupName = text(m, "name");
      b.sizeBytes = m != null && m.path("sizeBytes").canConvertToLong() && m.has("sizeBytes")
          ? m.path("sizeBytes").asLong() : null;
      b.location = b.lastBackupName == null ? null : settings.location(b.lastBackupName);
    }
    Optional<Job> bad = latest(jobs, JobOutcome.State.FAILED);
    if (bad.isPresent() && newer(finishedAt(bad.get()), prev.lastFailureTime)) {
      Job j = bad.get();
      b.lastFailureTime = finishedAt(j);
      String why = Optional.ofNullable(text(json(messages.get(j.getMetadata().getName())), "error"))
          .orElse(JobOutcome.of(j).message());
      b.lastFailureMessage = truncate("Job " + j.getMetadata().getName() + ": " + why);
      notices.add(new Notice(true, "BackupFailed", b.lastFailureMessage));
    }
    return b;
  }

  // ---- status.restore -----------------------------------------------------------------------

  private static RestoreStatus restoreStatus(PiStack stack, RestoreDecision r, Map<String, String> messages,
      List<Notice> notices) {
    if (r.phase() == null) {
      return null;
    }
    RestoreStatus prev = stack.getStatus() == null ? null : stack.getStatus().restore;
    RestoreStatus s = new RestoreStatus();
    s.phase = r.phase();
    s.backup = r.request().backup();
    s.force = r.request().force();
    s.jobName = r.jobName();
    if (sameRestore(prev, r) && prev.phase != Phase.Pending) {
      s.message = prev.message;
      s.completionTime = prev.completionTime;
      return s;
    }
    JsonNode m = json(messages.get(r.jobName()));
    String detail = switch (r.phase()) {
      case Succeeded -> m == null || text(m, "name") == null ? ""
          : " (" + text(m, "name") + (m.has("tables") ? ", " + m.path("tables").asText() + " tables" : "") + ")";
      case Failed, Refused -> text(m, "error") == null ? "" : ": " + text(m, "error");
      default -> "";
    };
    s.message = truncate(r.message() + detail);
    s.completionTime = r.outcome().filter(JobOutcome::finished).map(JobOutcome::finishedAt).orElse(null);
    if (prev == null || !Objects.equals(prev.jobName, s.jobName) || prev.phase != s.phase) {
      // Refused and Failed are Warning events through Degraded (see GATE_FAILURES).
      switch (s.phase) {
        case Succeeded -> notices.add(new Notice(false, "RestoreSucceeded", s.message));
        case Running -> notices.add(new Notice(false, "Restoring", s.message));
        default -> { }
      }
    }
    return s;
  }

  private static boolean sameRestore(RestoreStatus prev, RestoreDecision r) {
    return prev != null && prev.phase == r.phase() && Objects.equals(prev.jobName, r.jobName());
  }

  // ---- gate conditions ----------------------------------------------------------------------

  private static void gateUpgrade(UpgradeDecision u, BackupStatus backup, Conditions conditions,
      List<String> setTypes, PiStackStatus previous, List<Notice> notices) {
    String progressingBefore = Optional.ofNullable(previous == null ? null : find(previous.conditions,
        Conditions.PROGRESSING)).map(Condition::getReason).orElse("");
    switch (u.phase()) {
      case WAITING_FOR_DATABASE, BACKING_UP -> {
        String m = u.phase() == UpgradeDecision.Phase.BACKING_UP
            ? "backing up before upgrading from " + u.running() + " to " + u.target() + " (Job " + u.jobName() + ")"
            : "the upgrade from " + u.running() + " to " + u.target()
                + " waits for the database to be ready for its pre-upgrade backup";
        conditions.set(Conditions.READY, false, "PreUpgradeBackup", m)
            .set(Conditions.PROGRESSING, true, "PreUpgradeBackup", m);
        setTypes.addAll(List.of(Conditions.READY, Conditions.PROGRESSING));
        if (u.phase() == UpgradeDecision.Phase.BACKING_UP && !"PreUpgradeBackup".equals(progressingBefore)) {
          notices.add(new Notice(false, "PreUpgradeBackup", m));
        }
      }
      case FAILED -> {
        String prefix = "Job " + u.jobName() + ": ";
        String why = backup.lastFailureMessage != null && backup.lastFailureMessage.startsWith(prefix)
            ? backup.lastFailureMessage.substring(prefix.length())
            : u.outcome().map(JobOutcome::message).orElse("failed");
        String m = truncate("the pre-upgrade backup Job " + u.jobName() + " failed (" + why + "); the Deployments"
            + " stay at " + u.running() + ". Delete the Job to retry, set spec.version back to " + u.running()
            + ", or set spec.backup.enabled: false to upgrade without a backup");
        // The Warning event comes with Degraded turning True (see GATE_FAILURES).
        conditions.set(Conditions.READY, false, PRE_UPGRADE_BACKUP_FAILED, m)
            .set(Conditions.PROGRESSING, false, PRE_UPGRADE_BACKUP_FAILED, m)
            .set(Conditions.DEGRADED, true, PRE_UPGRADE_BACKUP_FAILED, m);
        setTypes.addAll(List.of(Conditions.READY, Conditions.PROGRESSING, Conditions.DEGRADED));
      }
      default -> { }
    }
  }

  private static void gateRestore(RestoreStatus r, Conditions conditions, List<String> setTypes) {
    if (r == null || r.phase == Phase.Succeeded) {
      return;
    }
    switch (r.phase) {
      case Pending, Running -> {
        conditions.set(Conditions.READY, false, "Restoring", r.message)
            .set(Conditions.PROGRESSING, true, "Restoring", r.message);
        setTypes.addAll(List.of(Conditions.READY, Conditions.PROGRESSING));
      }
      case Refused, Failed -> {
        String reason = r.phase == Phase.Refused ? RESTORE_REFUSED : RESTORE_FAILED;
        conditions.set(Conditions.READY, false, reason, r.message)
            .set(Conditions.PROGRESSING, false, reason, r.message)
            .set(Conditions.DEGRADED, true, reason, r.message);
        setTypes.addAll(List.of(Conditions.READY, Conditions.PROGRESSING, Conditions.DEGRADED));
      }
      default -> { }
    }
  }

  /** {@code base} with the conditions of {@code types} replaced (or appended) from {@code overrides}. */
  static List<Condition> merge(List<Condition> base, List<Condition> overrides, List<String> types) {
    List<Condition> out = new ArrayList<>(base == null ? List.of() : base);
    for (String type : types.stream().distinct().toList()) {
      Condition c = find(overrides, type);
      if (c == null) {
        continue;
      }
      int i = indexOf(out, type);
      if (i >= 0) {
        out.set(i, c);
      } else {
        out.add(c);
      }
    }
    return out;
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static BackupStatus previousBackup(PiStack stack) {
    BackupStatus b = stack.getStatus() == null ? null : stack.getStatus().backup;
    return b == null ? new BackupStatus() : b;
  }

  /** The newest backup Job (scheduled or pre-upgrade) that finished in the given state. */
  static Optional<Job> latest(Collection<Job> jobs, JobOutcome.State state) {
    return jobs.stream()
        .filter(j -> j.getMetadata().getLabels() != null
            && BACKUP_KINDS.contains(j.getMetadata().getLabels().get(BackupCronJobBuilder.JOB_KIND)))
        .filter(j -> JobOutcome.of(j).state() == state && finishedAt(j) != null)
        .max(Comparator.comparing((Job j) -> instant(finishedAt(j))).thenComparing(j -> j.getMetadata().getName()));
  }

  private static String finishedAt(Job j) {
    return JobOutcome.of(j).finishedAt();
  }

  /** True when {@code a} is later than {@code b}, or {@code b} is unknown. */
  static boolean newer(String a, String b) {
    if (a == null) {
      return false;
    }
    return b == null || instant(a).isAfter(instant(b));
  }

  private static Instant instant(String t) {
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException | NullPointerException e) {
      return Instant.EPOCH;
    }
  }

  private static BackupStatus copy(BackupStatus p) {
    BackupStatus b = new BackupStatus();
    b.lastSuccessfulTime = p.lastSuccessfulTime;
    b.lastBackupName = p.lastBackupName;
    b.sizeBytes = p.sizeBytes;
    b.location = p.location;
    b.lastFailureTime = p.lastFailureTime;
    b.lastFailureMessage = p.lastFailureMessage;
    b.lastVerified = p.lastVerified;
    return b;
  }

  private static boolean isEmpty(BackupStatus b) {
    return b.equals(new BackupStatus());
  }

  private static JsonNode json(String message) {
    if (message == null || !message.startsWith("{")) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(message);
      return n != null && n.isObject() ? n : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static String text(JsonNode n, String field) {
    return n == null || !n.hasNonNull(field) ? null : n.get(field).asText();
  }

  private static String truncate(String m) {
    return m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m;
  }

  private static Condition find(List<Condition> conditions, String type) {
    int i = indexOf(conditions, type);
    return i < 0 ? null : conditions.get(i);
  }

  private static int indexOf(List<Condition> conditions, String type) {
    if (conditions == null) {
      return -1;
    }
    for (int i = 0; i < conditions.size(); i++) {
      if (type.equals(conditions.get(i).getType())) {
        return i;
      }
    }
    return -1;
  }
}
