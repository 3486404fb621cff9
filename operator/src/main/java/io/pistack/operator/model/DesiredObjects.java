package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Every object the operator creates for a stack, in apply order, from the same builders the
 * dependents use and the same {@link LifecyclePlan} a fresh stack gets: while a restore is pending
 * the dashboard and scheduler are at zero replicas and have no autoscaler. `render` prints this
 * list; the generated credentials Secret carries a placeholder password and render prints it only
 * as a comment ({@link #isGenerated}).
 */
public final class DesiredObjects {
  public static final String PASSWORD_PLACEHOLDER = "<generated-by-the-operator>";
  public static final int GENERATED_PASSWORD_LENGTH = SecretBuilder.PASSWORD_LENGTH;

  private DesiredObjects() {}

  /** True for the generated credentials Secret with its placeholder password. */
  public static boolean isGenerated(io.fabric8.kubernetes.api.model.Secret s) {
    return s.getStringData() != null && PASSWORD_PLACEHOLDER.equals(s.getStringData().get("password"));
  }

  public static List<HasMetadata> of(ResolvedStack stack) {
    // A fresh stack: nothing live yet, so a restore holds the dashboard and the scheduler.
    LifecyclePlan plan = LifecyclePlan.decide(stack, List.of(), List.of(), java.util.Optional.empty());
    List<HasMetadata> all = new ArrayList<>();
    if (stack.generatesCredentials()) {
      all.add(SecretBuilder.databaseCredentials(stack, PASSWORD_PLACEHOLDER));
    }
    all.add(PersistentVolumeClaimBuilder.shared(stack));
    stack.enabledComponents().stream().filter(c -> c.volume() != null)
        .forEach(c -> all.add(PersistentVolumeClaimBuilder.componentVolume(stack, c)));
    BackupSettings backup = BackupSettings.of(stack);
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
      all.addAll(ServiceBuilder.forComponent(stack, c));
      var d = DeploymentBuilder.build(stack, c);
      if (plan.stopped(c)) {
        d.getSpec().setReplicas(0);
      }
      all.add(d);
      if (stack.autoscaling(c).isPresent() && !plan.stopped(c)) {
        all.add(HorizontalPodAutoscalerBuilder.build(stack, c));
      }
    }
    PodDisruptionBudgetBuilder.wanted(stack).forEach(c -> all.add(PodDisruptionBudgetBuilder.build(stack, c)));
    all.addAll(NetworkPolicyBuilder.build(stack));
    if (stack.ingressEnabled()) {
      all.add(IngressBuilder.build(stack));
    }
    return all;
  }
}
