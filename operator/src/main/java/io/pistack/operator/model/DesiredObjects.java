package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Every object the operator creates for a stack, in apply order, from the same builders the
 * dependents use. `render` prints this list; the generated password is shown as a placeholder.
 */
public final class DesiredObjects {
  public static final String PASSWORD_PLACEHOLDER = "<generated-by-the-operator>";

  private DesiredObjects() {}

  public static List<HasMetadata> of(ResolvedStack stack) {
    List<HasMetadata> all = new ArrayList<>();
    if (stack.generatesCredentials()) {
      all.add(SecretBuilder.databaseCredentials(stack, PASSWORD_PLACEHOLDER));
    }
    all.add(PersistentVolumeClaimBuilder.shared(stack));
    stack.enabledComponents().stream().filter(c -> c.volume() != null)
        .forEach(c -> all.add(PersistentVolumeClaimBuilder.componentVolume(stack, c)));
    BackupSettings backup = BackupSettings.of(stack);
    if (backup.storageWanted()) {
      all.add(BackupConfigMapBuilder.scripts(stack));
    }
    if (backup.createsClaim()) {
      all.add(PersistentVolumeClaimBuilder.backups(stack));
    }
    if (backup.enabled()) {
      all.add(BackupCronJobBuilder.build(stack));
    }
    // Run once the database is ready; until it succeeds the dashboard and scheduler run no pods.
    backup.restore().ifPresent(r -> all.add(BackupJobBuilder.restore(stack, r)));
    if (stack.embeddedDatabase()) {
      all.add(StatefulSetBuilder.mariadb(stack));
      all.add(ServiceBuilder.database(stack));
    }
    for (Component c : stack.enabledComponents()) {
      all.add(ServiceBuilder.build(stack, c));
      all.add(DeploymentBuilder.build(stack, c));
      if (stack.autoscaling(c).isPresent()) {
        all.add(HorizontalPodAutoscalerBuilder.build(stack, c));
      }
    }
    PodDisruptionBudgetBuilder.wanted(stack).forEach(c -> all.add(PodDisruptionBudgetBuilder.build(stack, c)));
    if (stack.ingressEnabled()) {
      all.add(IngressBuilder.build(stack));
    }
    return all;
  }
}
