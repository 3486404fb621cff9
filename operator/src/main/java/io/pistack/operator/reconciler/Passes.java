package io.pistack.operator.reconciler;

import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.dependent.Observed;
import io.pistack.operator.dependent.Pass;
import io.pistack.operator.desired.DesiredStacks;
import io.pistack.operator.model.BackupSettings;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.ResolvedStack;
import java.util.Optional;

/**
 * Decides a reconcile's {@link Pass} once, before anything is applied: one read of the caches ({@link Observed}),
 * the one lifecycle decision from it under the maintenance windows now ({@link WindowGate#plan}: the gates, the
 * holds, the page, and the finished Jobs whose outcome the status still lacks), and the desired stack built from
 * both.
 */
final class Passes {
  private Passes() {}

  /** @param restore the restore request as RestoreResolver resolved it */
  static Pass decide(ResolvedStack resolved, Context<PiStack> context, WindowGate windows,
      Optional<BackupSettings.RestoreRequest> restore) {
    Observed seen = Observed.read(resolved, context);
    LifecyclePlan plan = windows.plan(resolved, seen, restore);
    return new Pass(resolved, plan, seen.jobs(), DesiredStacks.of(resolved, plan, seen.live()));
  }
}
