package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.BackupVerificationStatus;
import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiBackupStatus;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.model.BackupSettings.RestoreRequest;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves spec.restore to one backup and where it is read, before anything is applied: a PiBackup by name, the
 * newest Completed PiBackup that completed before a time (chosen among the PiBackup objects, never by listing the
 * target), or a backup named on the source. A missing, unfinished, failed or (with requireVerified) unverified
 * PiBackup, or a source that may not be read (CloneSource), refuses the restore with a field path and what to do:
 * nothing of the stack is applied then. Once a request has a Job or an outcome (status.restore.jobName is this
 * request's) the PiBackup chosen then stays chosen; once it succeeded nothing is looked up again (the source may
 * be gone, or its permission withdrawn). Pure: what it may choose from is read before (RestoreCandidates).
 */
public final class RestoreResolver {
  private RestoreResolver() {}

  /** The request as it runs (resolved, or as the spec says it), or why it is refused. */
  public record Resolution(Optional<RestoreRequest> request, Optional<String> refusal) {
    static Resolution ok(Optional<RestoreRequest> r) {
      return new Resolution(r, Optional.empty());
    }

    static Resolution refused(String why) {
      return new Resolution(Optional.empty(), Optional.of(why));
    }
  }

  /**
   * @param candidates what was read of the namespace the restore chooses from (RestoreCandidates#sourceNamespace;
   *     NONE when it reads none)
   */
  public static Resolution resolve(ResolvedStack stack, RestoreCandidates candidates) {
    Optional<RestoreRequest> wanted = stack.backup().restore();
    RestoreSpec spec = RestoreCandidates.spec(stack);
    if (wanted.isEmpty() || !RestoreCandidates.choosesASource(spec)) {
      return Resolution.ok(wanted); // today's restore: a name (or latest) on the stack's own target
    }
    RestoreRequest request = wanted.get();
    RestoreStatus prev = RestoreCandidates.same(stack, request).orElse(null);
    boolean same = prev != null;
    if (same && prev.phase == RestoreStatus.Phase.Succeeded) {
      // Its Job, if still kept, is never rebuilt (Jobs are created once): where it read from is not needed again.
      return Resolution.ok(Optional.of(request.resolved(new RestoreSource(prev.backup, Optional.ofNullable(
          prev.piBackup), prev.location, Optional.empty(), Optional.empty(), Optional.empty()))));
    }
    String ns = RestoreCandidates.namespace(stack, spec);
    if (spec.backup != null) {
      CloneSource.Result src = CloneSource.of(stack, spec.source, stack.name(), candidates);
      return src.refusal().map(Resolution::refused).orElseGet(() -> Resolution.ok(Optional.of(request.resolved(
          new RestoreSource(spec.backup, Optional.empty(), src.source().get().location(spec.backup),
              src.source().get().s3(), src.source().get().claim(), Optional.empty())))));
    }
    if (spec.source != null && spec.source.s3 != null) {
      return Resolution.refused("spec.restore.source.s3: piBackup and before choose among PiBackup objects; name"
          + " the backup under an S3 location with spec.restore.backup");
    }
    PiBackup chosen;
    String field = spec.piBackup != null ? "spec.restore.piBackup" : "spec.restore.before";
    if (spec.piBackup != null || (same && prev.piBackup != null)) {
      String name = spec.piBackup != null ? spec.piBackup : prev.piBackup;
      Optional<PiBackup> b = candidates.backups(ns).stream().filter(x -> name.equals(x.getMetadata().getName()))
          .findFirst();
      if (b.isEmpty()) {
        return Resolution.refused(field + ": there is no PiBackup " + name + " in namespace " + ns);
      }
      chosen = b.get();
    } else {
      Instant before;
      try {
        before = OffsetDateTime.parse(spec.before).toInstant();
      } catch (DateTimeParseException e) {
        return Resolution.refused("spec.restore.before: " + spec.before + " is not an RFC 3339 time");
      }
      String of = spec.source != null && spec.source.stack != null ? spec.source.stack : stack.name();
      Optional<PiBackup> newest = newestBefore(candidates.backups(ns), of, before,
          Boolean.TRUE.equals(spec.requireVerified));
      if (newest.isEmpty()) {
        return Resolution.refused("spec.restore.before: no Completed" + (Boolean.TRUE.equals(spec.requireVerified)
            ? " and verified" : "") + " PiBackup of stack " + ns + "/" + of + " completed before " + spec.before);
      }
      chosen = newest.get();
    }
    Optional<String> unusable = unusable(chosen, Boolean.TRUE.equals(spec.requireVerified));
    if (unusable.isPresent()) {
      return Resolution.refused(field + ": " + unusable.get());
    }
    String owner = chosen.getSpec() == null ? null : chosen.getSpec().stack;
    if (spec.source != null && spec.source.stack != null && !spec.source.stack.equals(owner)) {
      return Resolution.refused(field + ": PiBackup " + chosen.getMetadata().getName() + " is a backup of stack "
          + owner + ", not of spec.restore.source.stack " + spec.source.stack);
    }
    CloneSource.Result src = CloneSource.of(stack, spec.source, owner, candidates);
    if (src.refusal().isPresent()) {
      return Resolution.refused(src.refusal().get());
    }
    return Resolution.ok(Optional.of(request.resolved(fromPiBackup(chosen, src.source().get()))));
  }

  /** The newest PiBackup of {@code stack} that Completed before {@code before} (and passed verification if asked). */
  public static Optional<PiBackup> newestBefore(List<PiBackup> backups, String stack, Instant before,
      boolean verified) {
    return backups.stream()
        .filter(b -> b.getSpec() != null && stack.equals(b.getSpec().stack))
        .filter(b -> unusable(b, verified).isEmpty())
        .filter(b -> time(b.getStatus().completionTime).map(t -> t.isBefore(before)).orElse(false))
        .max(Comparator.comparing((PiBackup b) -> time(b.getStatus().completionTime).orElseThrow())
            .thenComparing(b -> b.getMetadata().getName()));
  }

  /** Why a PiBackup cannot be restored, or empty. */
  static Optional<String> unusable(PiBackup b, boolean verified) {
    PiBackupStatus s = b.getStatus();
    String name = "PiBackup " + b.getMetadata().getName();
    if (s == null || s.phase == null || s.phase == PiBackupStatus.Phase.Pending
        || s.phase == PiBackupStatus.Phase.Running) {
      return Optional.of(name + " has not completed yet: the restore starts once it has");
    }
    if (s.phase == PiBackupStatus.Phase.Failed) {
      return Optional.of(name + " failed (" + Objects.requireNonNullElse(s.reason, "BackupFailed")
          + "): name another backup");
    }
    if (s.backupName == null || s.location == null) {
      return Optional.of(name + " does not say where its backup is (status.backupName, status.location)");
    }
    if (verified && (s.verification == null || s.verification.result != BackupVerificationStatus.Result.Passed)) {
      return Optional.of(name + " has not passed verification, and spec.restore.requireVerified is true");
    }
    return Optional.empty();
  }

  /** Exactly that backup: the bucket and prefix (or claim) its status records, and its MANIFEST's checksum. */
  static RestoreSource fromPiBackup(PiBackup b, CloneSource source) {
    PiBackupStatus s = b.getStatus();
    Optional<S3Target> s3 = source.s3();
    Optional<String> claim = source.claim();
    String loc = s.location;
    if (loc.startsWith("s3://") && s3.isPresent() && loc.endsWith("/" + s.backupName)) {
      String path = loc.substring("s3://".length(), loc.length() - s.backupName.length());
      int slash = path.indexOf('/');
      S3Target t = s3.get();
      s3 = Optional.of(new S3Target(path.substring(0, slash), t.region(), t.endpoint(), path.substring(slash + 1),
          t.credentials(), t.serviceAccountName(), Optional.empty(), t.image()));
    } else if (loc.startsWith("pvc:") && claim.isPresent() && loc.endsWith("/" + s.backupName)) {
      claim = Optional.of(loc.substring("pvc:".length(), loc.length() - s.backupName.length() - 1));
    }
    return new RestoreSource(s.backupName, Optional.of(b.getMetadata().getName()), loc, s3, claim,
        Optional.ofNullable(s.manifestSha256));
  }

  private static Optional<Instant> time(String t) {
    try {
      return t == null ? Optional.empty() : Optional.of(Instant.parse(t));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
