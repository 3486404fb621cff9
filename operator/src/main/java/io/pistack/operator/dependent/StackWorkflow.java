package io.pistack.operator.dependent;

import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;

/**
 * The JOSDK workflow of a PiStack's dependents: which there are, in what order they are applied, which
 * informer each shares, and the preconditions of the optional ones. The reconciler extends this class:
 * JOSDK reads {@code @Workflow} with {@code Class.getAnnotation}, and the annotation is {@code @Inherited},
 * so the declaration lives here, beside the dependents it names, and the reconciler reads as its stages.
 * Invoked explicitly by the reconciler's apply stage (Apply), exceptions handled there.
 */
@Workflow(explicitInvocation = true, handleExceptionsInReconciler = true, dependents = {
    @Dependent(name = "credentials", type = DatabaseCredentialsDependent.class,
        reconcilePrecondition = Preconditions.GeneratesCredentials.class),
    @Dependent(name = "shared-volume", type = SharedVolumeClaimDependent.class),
    @Dependent(name = "component-volumes", type = ComponentVolumesDependent.class,
        useEventSourceWithName = "shared-volume"),
    @Dependent(name = "db-root", type = DatabaseRootDependent.class, useEventSourceWithName = "credentials",
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class),
    @Dependent(name = "db-backup", type = DatabaseBackupUserDependent.class, useEventSourceWithName = "credentials",
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class),
    @Dependent(name = "qdrant-api-key", type = QdrantApiKeyDependent.class, useEventSourceWithName = "credentials",
        reconcilePrecondition = Preconditions.QdrantEnabled.class),
    @Dependent(name = "database", type = DatabaseStatefulSetDependent.class, dependsOn = {"db-root", "db-backup"},
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class),
    @Dependent(name = "database-volume", type = DatabaseVolumeClaimDependent.class,
        reconcilePrecondition = Preconditions.EmbeddedDatabase.class,
        useEventSourceWithName = SharedVolumeClaimDependent.EVENT_SOURCE),
    @Dependent(name = "services", type = ServicesDependent.class),
    @Dependent(name = "network-policies", type = NetworkPoliciesDependent.class),
    @Dependent(name = "deployments", type = DeploymentsDependent.class),
    @Dependent(name = "autoscalers", type = AutoscalersDependent.class),
    @Dependent(name = "disruption-budget", type = PodDisruptionBudgetDependent.class),
    @Dependent(name = "ingress", type = IngressDependent.class,
        reconcilePrecondition = Preconditions.IngressEnabled.class),
    @Dependent(name = "http-route", type = HttpRouteDependent.class, activationCondition = GatewayApi.class,
        reconcilePrecondition = Preconditions.HttpRouteEnabled.class),
    @Dependent(name = "backend-tls", type = BackendTlsPolicyDependent.class,
        activationCondition = GatewayApi.BackendTls.class,
        reconcilePrecondition = Preconditions.BackendTlsWanted.class),
    @Dependent(name = "backup-scripts", type = BackupScriptsDependent.class,
        reconcilePrecondition = BackupScriptsDependent.Retired.class),
    @Dependent(name = "backup-volume", type = BackupVolumeClaimDependent.class,
        reconcilePrecondition = BackupPreconditions.CreatesClaim.class, useEventSourceWithName = "shared-volume"),
    @Dependent(name = "backup-schedule", type = BackupCronJobDependent.class,
        reconcilePrecondition = BackupPreconditions.BackupsEnabled.class),
    @Dependent(name = "backup-jobs", type = BackupJobsDependent.class),
    @Dependent(name = "maintenance-page", type = MaintenancePageConfigDependent.class,
        useEventSourceWithName = "backup-scripts", reconcilePrecondition = MaintenancePageConfigDependent.Wanted.class),
})
public abstract class StackWorkflow {
  protected StackWorkflow() {}
}
