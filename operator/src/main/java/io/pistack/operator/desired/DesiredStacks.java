package io.pistack.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pistack.operator.api.v1alpha1.RestoreStatus;
import io.pistack.operator.model.BackupCronJobBuilder;
import io.pistack.operator.model.BackupJobBuilder;
import io.pistack.operator.model.BackupSettings;
import io.pistack.operator.model.Component;
import io.pistack.operator.model.DeploymentBuilder;
import io.pistack.operator.model.DrainDecision;
import io.pistack.operator.model.HorizontalPodAutoscalerBuilder;
import io.pistack.operator.model.IngressBuilder;
import io.pistack.operator.model.LifecyclePlan;
import io.pistack.operator.model.MaintenancePageBuilder;
import io.pistack.operator.model.NetworkPolicyBuilder;
import io.pistack.operator.model.PersistentVolumeClaimBuilder;
import io.pistack.operator.model.PodDisruptionBudgetBuilder;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SecretBuilder;
import io.pistack.operator.model.SecretDigests;
import io.pistack.operator.model.ServiceBuilder;
import io.pistack.operator.model.StatefulSetBuilder;
import io.pistack.operator.model.VerificationDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@link DesiredStack}: every child of a stack, in the order the workflow applies them, from the resolved
 * stack, the reconcile's {@link LifecyclePlan} (its holds, its drain, its Jobs) and the few fields of the live
 * children the API server would refuse to change ({@link LiveChildren}). Pure: the same inputs give the same objects.
 */
public final class DesiredStacks {
  private DesiredStacks() {}

  /**
   * What a stack that has nothing yet gets: the plan decided with no live object (a restore holds the dashboard and
   * the scheduler until the database is ready), no live child. `render` prints this.
   */
  public static DesiredStack fresh(ResolvedStack stack) {
    // What render cannot see (PiBackups, other stacks) it leaves unresolved; an S3 location source it resolves.
    var restore = io.pistack.operator.model.RestoreResolver.resolve(stack,
        io.pistack.operator.model.RestoreCandidates.NONE);
    LifecyclePlan plan = LifecyclePlan.decide(stack, List.of(), List.of(), Optional.empty(), List.of(),
        restore.refusal().isPresent() ? stack.backup().restore() : restore.request());
    return of(stack, plan, LiveChildren.none());
  }

  public static DesiredStack of(ResolvedStack stack, LifecyclePlan plan, LiveChildren live) {
    List<HasMetadata> all = new ArrayList<>();
    List<GeneratedSecret> generated = generatedSecrets(stack);
    generated.stream().filter(g -> g.name().equals(stack.generatedCredentialsSecretName()))
        .forEach(g -> all.add(g.placeholder()));
    all.add(kept(PersistentVolumeClaimBuilder.shared(stack), live));
    stack.enabledComponents().stream().filter(c -> c.volume() != null)
        .forEach(c -> all.add(kept(PersistentVolumeClaimBuilder.componentVolume(stack, c), live)));
    generated.stream().filter(g -> !g.name().equals(stack.generatedCredentialsSecretName()))
        .forEach(g -> all.add(g.placeholder()));
    if (stack.database().embedded()) {
      StatefulSet db = database(stack, live);
      if (plan.hibernation().databaseHeld()) {
        db.getSpec().setReplicas(0);
      }
      all.add(db);
    }
    stack.enabledComponents().forEach(c -> ServiceBuilder.forComponent(stack, c)
        .forEach(s -> all.add(MaintenancePageBuilder.route(stack, s, plan.page()))));
    if (stack.database().embedded()) {
      all.add(ServiceBuilder.database(stack));
    }
    all.addAll(NetworkPolicyBuilder.build(stack));
    stack.enabledComponents().forEach(c -> all.add(deployment(stack, c, plan, live)));
    all.addAll(MaintenancePageBuilder.objects(stack, plan.page()));
    // No HPA for a component a gate holds (a pending restore, a drained upgrade): it would scale it.
    stack.enabledComponents().stream().filter(c -> stack.sizing(c).autoscaling().isPresent() && plan.heldReplicas(c).isEmpty())
        .forEach(c -> all.add(HorizontalPodAutoscalerBuilder.build(stack, c)));
    PodDisruptionBudgetBuilder.wanted(stack).forEach(c -> all.add(PodDisruptionBudgetBuilder.build(stack, c)));
    if (stack.ingressEnabled()) {
      all.add(IngressBuilder.build(stack));
    }
    if (stack.httpRouteEnabled()) {
      all.add(io.pistack.operator.model.HttpRouteBuilder.build(stack));
    }
    if (io.pistack.operator.model.BackendTlsPolicyBuilder.wanted(stack)) {
      all.add(io.pistack.operator.model.BackendTlsPolicyBuilder.build(stack));
    }
    BackupSettings backup = stack.backup();
    if (backup.createsClaim()) {
      all.add(kept(PersistentVolumeClaimBuilder.backups(stack), live));
    }
    if (backup.enabled()) {
      var cronJob = BackupCronJobBuilder.build(stack);
      if (plan.hibernation().suspendsBackups()) {
        cronJob.getSpec().setSuspend(true);
      }
      all.add(cronJob);
    }
    all.addAll(plan.desiredJobs(stack));
    VerificationDecision.desiredJob(stack).ifPresent(all::add);
    Optional<PersistentVolumeClaim> dataClaim = stack.database().embedded()
        ? Optional.of(PersistentVolumeClaimBuilder.database(stack)) : Optional.empty();
    List<HasMetadata> later = new ArrayList<>();
    if (plan.restore().phase() == RestoreStatus.Phase.Pending) {
      later.add(BackupJobBuilder.restore(stack, plan.restore().request()));
    }
    return new DesiredStack(all, generated, dataClaim, later);
  }

  /** The Secrets the operator generates for this stack, in the order the workflow creates them. */
  public static List<GeneratedSecret> generatedSecrets(ResolvedStack stack) {
    List<GeneratedSecret> generated = new ArrayList<>();
    if (stack.database().generatesCredentials()) {
      generated.add(new GeneratedSecret(stack.generatedCredentialsSecretName(),
          p -> SecretBuilder.databaseCredentials(stack, p)));
    }
    if (stack.database().embedded()) {
      generated.add(new GeneratedSecret(stack.databaseRootSecretName(), p -> SecretBuilder.databaseRoot(stack, p)));
      generated.add(new GeneratedSecret(stack.databaseBackupSecretName(),
          p -> SecretBuilder.databaseBackup(stack, p)));
    }
    if (stack.enabled(Component.QDRANT)) {
      generated.add(new GeneratedSecret(stack.qdrantApiKeySecretName(), p -> SecretBuilder.qdrantApiKey(stack, p)));
    }
    return generated;
  }

  /**
   * One component's Deployment as the plan wants it: a pending pre-upgrade backup keeps the running version, a
   * pending restore keeps the database's users at zero replicas, a drained upgrade holds them at zero, then one
   * migrating dashboard of the new version with the migration's progress deadline. While a Secret its pods count is
   * missing it keeps the live Secrets digest (SecretDigests#keepWhileMissing).
   */
  static Deployment deployment(ResolvedStack stack, Component c, LifecyclePlan plan, LiveChildren live) {
    Deployment d = DeploymentBuilder.build(plan.deploymentStack(stack, c), c);
    SecretDigests.keepWhileMissing(stack, d, live.deployment(d.getMetadata().getName()));
    plan.heldReplicas(c).ifPresent(d.getSpec()::setReplicas);
    plan.hibernation().marked(d, c);
    if (plan.drain().migrating(c)) {
      d.getSpec().setProgressDeadlineSeconds(DrainDecision.migrationTimeoutSeconds(stack));
    }
    return d;
  }

  /**
   * The embedded MariaDB: its claim templates stay as they are live (immutable; a grown size goes to the claim
   * itself), and a user credentials Secret deleted by mistake must not roll it into CreateContainerConfigError.
   */
  static StatefulSet database(ResolvedStack stack, LiveChildren live) {
    StatefulSet desired = StatefulSetBuilder.keepingClaimTemplates(StatefulSetBuilder.mariadb(stack),
        live.database().orElse(null));
    SecretDigests.keepWhileMissing(stack, desired, live.database());
    return desired;
  }

  /** A claim that exists keeps its immutable fields as they are live, and its size only grows. */
  static PersistentVolumeClaim kept(PersistentVolumeClaim desired, LiveChildren live) {
    live.claim(desired.getMetadata().getName()).ifPresent(actual -> keepImmutable(actual, desired));
    return desired;
  }

  static void keepImmutable(PersistentVolumeClaim actual, PersistentVolumeClaim desired) {
    var a = actual.getSpec();
    var d = desired.getSpec();
    d.setAccessModes(a.getAccessModes());
    d.setStorageClassName(a.getStorageClassName());
    Quantity actualSize = a.getResources() == null || a.getResources().getRequests() == null
        ? null : a.getResources().getRequests().get("storage");
    Quantity desiredSize = d.getResources().getRequests().get("storage");
    if (actualSize != null && Quantity.getAmountInBytes(actualSize)
        .compareTo(Quantity.getAmountInBytes(desiredSize)) > 0) {
      d.getResources().getRequests().put("storage", actualSize);
    }
  }
}
