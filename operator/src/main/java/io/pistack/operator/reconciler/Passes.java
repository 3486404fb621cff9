package io.pistack.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.Observed;
import io.pistack.operator.dependent.Pass;
import io.pistack.operator.desired.DesiredStacks;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.status.BackupRestoreStatus;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Decides a reconcile's {@link Pass} once, before anything is applied: one read of the caches ({@link Observed}),
 * the one lifecycle decision from it and the maintenance windows now ({@link LifecyclePlan#of}), the finished Jobs
 * whose outcome the status still lacks, and the desired stack built from all of that.
 */
final class Passes {
  private Passes() {}

  /** @param restore the restore request as RestoreResolver resolved it */
  static Pass decide(ResolvedStack resolved, Context<PiStack> context, WindowGate windows,
      java.util.Optional<io.pistack.operator.model.BackupSettings.RestoreRequest> restore) {
    Observed seen = Observed.read(resolved, context);
    LifecyclePlan plan = windows.record(resolved, LifecyclePlan.of(resolved, seen.deployments(), seen.jobs(),
        seen.database(), seen.pods(), seen.page(), restore, windows.closed(resolved)));
    Set<String> unrecorded = BackupRestoreStatus.needingDetail(resolved, plan, seen.jobs()).stream()
        .map(j -> j.getMetadata().getName()).collect(Collectors.toSet());
    return new Pass(resolved, plan, seen.jobs(), unrecorded, DesiredStacks.of(resolved, plan, seen.live()));
  }
}
