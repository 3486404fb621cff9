package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSourceSpec;
import io.pistack.operator.api.v1alpha1.S3CredentialsSpec;
import io.pistack.operator.api.v1alpha1.S3StorageSpec;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a restore reads: the stack's own target, another PiStack's (a clone), or an S3 location; or why it may not.
 * Checked here, by the operator, since the CEL cannot see other objects: a source in another namespace must list the
 * clone's namespace in its spec.backup.cloneAllowedNamespaces (no implicit access); a volume cannot be mounted from
 * another namespace; the clone's own target never is (nor overlaps) the source's; in another namespace the source's
 * S3 Secret is never used: the clone names read credentials of its own namespace. Pure.
 *
 * @param target where the backups are: its bucket and prefix, or a claim of the clone's namespace
 * @param stackNamespace, stackName the PiStack whose PiBackups are chosen from (null for an S3 location)
 */
public record CloneSource(Optional<S3Target> s3, Optional<String> claim, String stackNamespace, String stackName) {

  /** A source, or the reason it is refused (a field path and what to do). */
  public record Result(Optional<CloneSource> source, Optional<String> refusal) {
    static Result ok(CloneSource s) {
      return new Result(Optional.of(s), Optional.empty());
    }

    static Result refused(String why) {
      return new Result(Optional.empty(), Optional.of(why));
    }
  }

  /** The location of a backup of this name under the source. */
  public String location(String backup) {
    return s3.map(t -> t.location(backup)).orElseGet(() -> "pvc:" + claim.orElse("") + "/" + backup);
  }

  /**
   * @param spec spec.restore.source, or null
   * @param implicitStack without a source: the stack whose backups are read (the PiBackup's; the clone's own)
   */
  public static Result of(ResolvedStack clone, RestoreSourceSpec spec, String implicitStack,
      RestoreCandidates candidates) {
    String ns = clone.namespace();
    if (spec != null && spec.s3 != null) {
      String p = spec.s3.prefix == null || spec.s3.prefix.isBlank() ? ""
          : spec.s3.prefix.endsWith("/") ? spec.s3.prefix : spec.s3.prefix + "/";
      S3Target t = new S3Target(spec.s3.bucket, spec.s3.region == null ? S3StorageSpec.DEFAULT_REGION
          : spec.s3.region, Optional.ofNullable(spec.s3.endpoint), p, Optional.empty(), Optional.empty(),
          Optional.empty(), S3StorageSpec.DEFAULT_IMAGE);
      return notShared(clone, ok(withReader(clone, t, spec, Optional.empty(), Optional.empty()), null, null));
    }
    String sourceNs = spec == null || spec.namespace == null ? ns : spec.namespace;
    String sourceName = spec == null || spec.stack == null ? implicitStack : spec.stack;
    if (sourceNs.equals(ns) && sourceName.equals(clone.name())) {
      BackupSettings own = clone.backup();
      return Result.ok(new CloneSource(own.s3(), own.s3().isPresent() ? Optional.empty()
          : Optional.of(own.claimName()), ns, clone.name()));
    }
    Optional<PiStack> found = candidates.stack(sourceNs, sourceName);
    if (found.isEmpty()) {
      return Result.refused("spec.restore.source.stack: there is no PiStack " + sourceNs + "/" + sourceName
          + " (or this operator does not watch namespace " + sourceNs + ")");
    }
    PiStack source = found.get();
    boolean crossNamespace = !sourceNs.equals(ns);
    List<String> allowed = source.getSpec() == null || source.getSpec().backup == null ? null
        : source.getSpec().backup.cloneAllowedNamespaces;
    if (crossNamespace && (allowed == null || !allowed.contains(ns))) {
      return Result.refused("spec.restore.source.namespace: PiStack " + sourceNs + "/" + sourceName
          + " does not allow clones into namespace " + ns + ": its owner adds " + ns
          + " to its spec.backup.cloneAllowedNamespaces");
    }
    BackupSettings theirs = new ResolvedStack(source).backup();
    if (source.getSpec() == null || source.getSpec().backup == null) {
      return Result.refused("spec.restore.source.stack: PiStack " + sourceNs + "/" + sourceName
          + " has no backups (no spec.backup)");
    }
    if (theirs.s3().isEmpty()) {
      if (crossNamespace) {
        return Result.refused("spec.restore.source: the backups of " + sourceNs + "/" + sourceName + " are on the"
            + " volume pvc:" + theirs.claimName() + ", which a pod in namespace " + ns + " cannot mount: give the"
            + " source an S3 target (spec.backup.storage.s3), or copy the backup to a claim in " + ns
            + " and restore from it (spec.backup.storage.existingClaim)");
      }
      return notShared(clone, Result.ok(new CloneSource(Optional.empty(), Optional.of(theirs.claimName()),
          sourceNs, sourceName)));
    }
    S3Target t = theirs.s3().get();
    boolean ownReader = spec != null && (spec.credentials != null || spec.serviceAccountName != null);
    if (crossNamespace && !ownReader) {
      return Result.refused("spec.restore.source.credentials: reading " + t.location("") + " from namespace " + ns
          + " needs read-only credentials of " + ns + " (a Secret named in credentials.secretName, or"
          + " serviceAccountName for workload identity): the source's Secret is never used across namespaces");
    }
    S3Target read = ownReader ? withReader(clone, t, spec, Optional.empty(), Optional.empty())
        : withReader(clone, t, null, t.credentials(), t.serviceAccountName());
    return notShared(clone, ok(read, sourceNs, sourceName));
  }

  private static Result ok(S3Target t, String ns, String stack) {
    return Result.ok(new CloneSource(Optional.of(t), Optional.empty(), ns, stack));
  }

  /**
   * The source's bucket, read with the clone's credentials (or, same namespace, the source's own), by the clone's
   * own AWS CLI image: another namespace's spec never decides what runs in the clone's namespace.
   */
  private static S3Target withReader(ResolvedStack clone, S3Target t, RestoreSourceSpec spec,
      Optional<S3Target.Credentials> fallback, Optional<String> fallbackAccount) {
    Optional<S3Target.Credentials> creds = spec == null || spec.credentials == null ? fallback
        : Optional.of(new S3Target.Credentials(spec.credentials.secretName,
            spec.credentials.accessKeyIdKey == null ? S3CredentialsSpec.DEFAULT_ACCESS_KEY_ID_KEY
                : spec.credentials.accessKeyIdKey,
            spec.credentials.secretAccessKeyKey == null ? S3CredentialsSpec.DEFAULT_SECRET_ACCESS_KEY_KEY
                : spec.credentials.secretAccessKeyKey));
    Optional<String> account = spec == null || spec.serviceAccountName == null ? fallbackAccount
        : Optional.of(spec.serviceAccountName);
    String image = clone.backup().s3().map(S3Target::image).orElse(S3StorageSpec.DEFAULT_IMAGE);
    return new S3Target(t.bucket(), t.region(), t.endpoint(), t.prefix(), creds, account, Optional.empty(), image);
  }

  /** The clone's own backups never go where the source's are: same bucket and overlapping prefixes, or one claim. */
  private static Result notShared(ResolvedStack clone, Result r) {
    if (r.source().isEmpty() || !clone.backup().enabled()) {
      return r;
    }
    CloneSource s = r.source().get();
    BackupSettings own = clone.backup();
    if (own.s3().isPresent() && s.s3().isPresent()) {
      S3Target mine = own.s3().get();
      S3Target theirs = s.s3().get();
      boolean overlap = mine.prefix().startsWith(theirs.prefix()) || theirs.prefix().startsWith(mine.prefix());
      if (mine.bucket().equals(theirs.bucket()) && Objects.equals(mine.endpoint(), theirs.endpoint()) && overlap) {
        return Result.refused("spec.backup.storage.s3.prefix: this stack's backups would go to " + mine.location("")
            + ", where the source's backups are (" + theirs.location("") + "): a clone never shares the source's"
            + " target; give it a prefix of its own");
      }
    }
    if (own.s3().isEmpty() && s.claim().isPresent() && s.claim().get().equals(own.claimName())) {
      return Result.refused("spec.backup.storage.existingClaim: this stack's backups would go to pvc:"
          + own.claimName() + ", where the source's backups are: a clone never shares the source's target");
    }
    return r;
  }
}
