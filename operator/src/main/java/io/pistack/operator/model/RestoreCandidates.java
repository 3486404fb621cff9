package io.pistack.operator.model;

import io.pistack.operator.api.v1alpha1.PiBackup;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.RestoreSpec;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.model.BackupSettings.RestoreRequest;
import java.util.List;
import java.util.Optional;

/**
 * What a restore may choose from, read of the cluster once before it is resolved (RestoreResolver): the PiStacks and
 * the PiBackups of the one namespace spec.restore reads ({@link #sourceNamespace}). A value: the resolver asks
 * nothing of the cluster. Pure.
 *
 * @param stacks the PiStacks of the source namespace (a clone's source is one of them; by a PiBackup's name, its
 *     stack is the one the PiBackup names, known only once it is chosen)
 * @param backups the PiBackups of the source namespace
 */
public record RestoreCandidates(List<PiStack> stacks, List<PiBackup> backups) {
  /** Nothing read: what render, which sees no cluster, resolves with. */
  public static final RestoreCandidates NONE = new RestoreCandidates(List.of(), List.of());

  /**
   * The namespace whose PiStacks and PiBackups the restore chooses from, or empty when it reads none: no restore, a
   * restore of the stack's own target by backup name, a request that already succeeded (nothing is looked up again:
   * the source may be gone), or an S3 location named in spec.restore.source.s3.
   */
  public static Optional<String> sourceNamespace(ResolvedStack stack) {
    Optional<RestoreRequest> wanted = stack.backup().restore();
    RestoreSpec spec = spec(stack);
    if (wanted.isEmpty() || !choosesASource(spec) || succeeded(stack, wanted.get())
        || (spec.source != null && spec.source.s3 != null)) {
      return Optional.empty();
    }
    return Optional.of(namespace(stack, spec));
  }

  /** The PiStack of that name, if read. */
  public Optional<PiStack> stack(String namespace, String name) {
    return stacks.stream().filter(s -> namespace.equals(s.getMetadata().getNamespace())
        && name.equals(s.getMetadata().getName())).findFirst();
  }

  /** The PiBackups of that namespace, as read. */
  public List<PiBackup> backups(String namespace) {
    return backups.stream().filter(b -> namespace.equals(b.getMetadata().getNamespace())).toList();
  }

  static RestoreSpec spec(ResolvedStack stack) {
    return stack.source().getSpec() == null ? null : stack.source().getSpec().restore;
  }

  /** Whether spec.restore names another source, a PiBackup or a time (else: a backup of the stack's own target). */
  static boolean choosesASource(RestoreSpec spec) {
    return spec != null && (spec.source != null || spec.piBackup != null || spec.before != null);
  }

  /** The status of this request's restore, if it has a Job or an outcome (status.restore.jobName is its). */
  static Optional<RestoreStatus> same(ResolvedStack stack, RestoreRequest request) {
    RestoreStatus prev = stack.source().getStatus() == null ? null : stack.source().getStatus().restore;
    return prev != null && JobNames.restore(stack, request).equals(prev.jobName) ? Optional.of(prev)
        : Optional.empty();
  }

  static boolean succeeded(ResolvedStack stack, RestoreRequest request) {
    return same(stack, request).filter(p -> p.phase == RestoreStatus.Phase.Succeeded).isPresent();
  }

  static String namespace(ResolvedStack stack, RestoreSpec spec) {
    return spec.source != null && spec.source.namespace != null ? spec.source.namespace : stack.namespace();
  }
}
