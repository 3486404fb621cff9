package io.pistack.operator.model;

import io.pistack.operator.desired.DesiredStacks;
import io.pistack.operator.desired.GeneratedSecret;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.pistack.operator.api.v1alpha1.AutoscalingSpec;
import io.pistack.operator.api.v1alpha1.DashboardSpec;
import io.pistack.operator.api.v1alpha1.IngressSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import io.pistack.operator.api.v1alpha1.StorageSpec;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** One nested class per builder kind that is too small for a file of its own. */
class OtherBuildersTest {
  @Nested
  class ServiceBuilderTest {
    @Test
    void theDashboardsInternalPortIsOnAServiceOfItsOwn() {
      var services = ServiceBuilder.forComponent(TestStacks.resolved(TestStacks.minimal()), Component.DASHBOARD);
      assertThat(services).extracting(s -> s.getMetadata().getName())
          .containsExactly("acme-dashboard", "acme-dashboard-private");
      Service s = services.get(0);
      assertThat(s.getSpec().getType()).isEqualTo("ClusterIP");
      assertThat(s.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(8224);
      assertThat(s.getSpec().getSelector()).containsEntry(Labels.COMPONENT, "dashboard").containsEntry(Labels.INSTANCE, "acme");
      Service internal = services.get(1);
      assertThat(internal.getSpec().getType()).isEqualTo("ClusterIP");
      assertThat(internal.getSpec().getPorts()).singleElement().satisfies(p -> {
        assertThat(p.getPort()).isEqualTo(28748);
        assertThat(p.getName()).isEqualTo("internal");
      });
      assertThat(internal.getSpec().getSelector()).isEqualTo(s.getSpec().getSelector());
    }

    @Test
    void aComponentWithoutInternalPortsHasOneService() {
      assertThat(ServiceBuilder.forComponent(TestStacks.resolved(TestStacks.minimal()), Component.RENDERER))
          .singleElement().satisfies(s -> assertThat(s.getMetadata().getName()).isEqualTo("acme-renderer"));
    }

    @Test
    void databaseServiceSelectsTheStatefulSet() {
      Service s = ServiceBuilder.database(TestStacks.resolved(TestStacks.minimal()));
      assertThat(s.getMetadata().getName()).isEqualTo("acme-db");
      assertThat(s.getSpec().getPorts()).singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(3306));
      assertThat(s.getSpec().getSelector()).containsEntry(Labels.COMPONENT, "db");
    }
  }

  @Nested
  class PersistentVolumeClaimBuilderTest {
    @Test
    void sharedVolumeDefaultsTo5GiReadWriteMany() {
      var pvc = PersistentVolumeClaimBuilder.shared(TestStacks.resolved(TestStacks.minimal()));
      assertThat(pvc.getMetadata().getName()).isEqualTo("acme-shared");
      assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteMany");
      assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("5Gi");
      assertThat(pvc.getSpec().getStorageClassName()).isNull();
      assertThat(pvc.getMetadata().getOwnerReferences()).isEmpty();
    }

    @Test
    void sizeClassAndModesFromTheSpec() {
      PiStack s = TestStacks.minimal();
      s.getSpec().storage = new StorageSpec();
      s.getSpec().storage.size = "50Gi";
      s.getSpec().storage.storageClassName = "efs";
      s.getSpec().storage.accessModes = java.util.List.of(StorageSpec.AccessMode.ReadWriteOnce);
      var pvc = PersistentVolumeClaimBuilder.shared(TestStacks.resolved(s));
      assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("50Gi");
      assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("efs");
      assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
    }
  }

  @Nested
  class SecretBuilderTest {
    @Test
    void generatedCredentialsAreTheApplicationUserWithAStrongRandomPassword() {
      String a = SecretBuilder.randomPassword();
      String b = SecretBuilder.randomPassword();
      assertThat(a).hasSize(32).isNotEqualTo(b).matches("[A-Za-z0-9]+");
      Secret s = SecretBuilder.databaseCredentials(TestStacks.resolved(TestStacks.minimal()), a);
      assertThat(s.getMetadata().getName()).isEqualTo("acme-db-credentials");
      assertThat(s.getStringData()).containsEntry("username", "pi").containsEntry("password", a);
      Secret root = SecretBuilder.databaseRoot(TestStacks.resolved(TestStacks.minimal()), b);
      assertThat(root.getMetadata().getName()).isEqualTo("acme-db-root");
      assertThat(root.getStringData()).containsOnly(Map.entry("password", b));
      String c = SecretBuilder.randomPassword();
      Secret backup = SecretBuilder.databaseBackup(TestStacks.resolved(TestStacks.minimal()), c);
      assertThat(backup.getMetadata().getName()).isEqualTo("acme-db-backup");
      assertThat(backup.getStringData()).containsExactly(Map.entry("username", "pi_backup"), Map.entry("password", c));
    }
  }

  @Nested
  class StatefulSetBuilderTest {
    @Test
    void mariadbRunsWithTheSettingsTheDashboardNeeds() {
      var sts = StatefulSetBuilder.mariadb(TestStacks.resolved(TestStacks.minimal()));
      var c = sts.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(c.getImage()).isEqualTo("docker.io/library/mariadb:10.11");
      assertThat(c.getArgs()).contains("--lower-case-table-names=1", "--character-set-server=utf8mb4",
          "--collation-server=utf8mb4_unicode_ci", "--sql-mode=NO_AUTO_VALUE_ON_ZERO",
          "--log-bin-trust-function-creators=1");
      assertThat(c.getEnv()).anySatisfy(e -> {
        assertThat(e.getName()).isEqualTo("MARIADB_DATABASE");
        assertThat(e.getValue()).isEqualTo("dashboard");
      });
      assertThat(c.getEnv()).anySatisfy(e -> {
        assertThat(e.getName()).isEqualTo("MARIADB_ROOT_PASSWORD");
        assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("acme-db-root");
        assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
      });
      assertThat(c.getEnv()).anySatisfy(e -> {
        assertThat(e.getName()).isEqualTo("MARIADB_ROOT_HOST");
        assertThat(e.getValue()).isEqualTo("localhost");
      });
      // The user step: the application user from the credentials, root's password from its own Secret, the
      // grants' SQL, the socket shared with the server; never a password in its command.
      var users = sts.getSpec().getTemplate().getSpec().getContainers().get(1);
      assertThat(users.getName()).isEqualTo("users");
      assertThat(users.getImage()).isEqualTo(c.getImage());
      assertThat(users.getEnv()).extracting(e -> e.getName() + "=" + (e.getValueFrom() == null ? "value"
          : e.getValueFrom().getSecretKeyRef().getName() + "/" + e.getValueFrom().getSecretKeyRef().getKey()))
          .contains("PI_DB_USER=acme-db-credentials/username", "PI_DB_PASSWORD=acme-db-credentials/password",
              "MARIADB_ROOT_PASSWORD=acme-db-root/password", "PI_DB_USERS_SQL=value",
              "PI_DB_BACKUP_USER=acme-db-backup/username", "PI_DB_BACKUP_PASSWORD=acme-db-backup/password",
              "PI_DB_BACKUP_SQL=value");
      assertThat(users.getEnv()).filteredOn(e -> e.getName().equals("PI_DB_USERS_SQL")).singleElement()
          .satisfies(e -> assertThat(e.getValue()).isEqualTo(DatabaseGrants.applicationUserStep("dashboard")));
      assertThat(users.getEnv()).filteredOn(e -> e.getName().equals("PI_DB_BACKUP_SQL")).singleElement()
          .satisfies(e -> assertThat(e.getValue()).isEqualTo(DatabaseGrants.backupUserStep("dashboard")));
      assertThat(users.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath())
          .containsExactly("run:/run/mysqld");
      assertThat(c.getVolumeMounts()).extracting(m -> m.getName() + ":" + m.getMountPath())
          .contains("run:/run/mysqld");
      assertThat(users.getReadinessProbe().getExec().getCommand()).contains("/run/mysqld/pi-users-ready");
      assertThat(c.getReadinessProbe().getExec().getCommand()).anyMatch(s -> s.contains("ping"));
      assertThat(sts.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(t ->
          assertThat(t.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("10Gi"));
      assertThat(sts.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
      assertThat(StatefulSetBuilder.dataClaimName(TestStacks.resolved(TestStacks.minimal()))).isEqualTo("data-acme-db-0");
    }

    @Test
    void optInDeletesTheDatabaseVolumeWithTheStack() {
      PiStack s = TestStacks.minimal();
      s.getSpec().storage = new StorageSpec();
      s.getSpec().storage.deleteWithStack = true;
      assertThat(StatefulSetBuilder.mariadb(TestStacks.resolved(s)).getSpec()
          .getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Delete");
    }
  }

  @Nested
  class IngressBuilderTest {
    @Test
    void routesOnlyTheAppPortUnderPiWithTls() {
      PiStack s = TestStacks.minimal();
      s.getSpec().ingress = new IngressSpec();
      s.getSpec().ingress.enabled = true;
      s.getSpec().ingress.host = "pi.example.com";
      s.getSpec().ingress.className = "nginx";
      s.getSpec().ingress.tlsSecretName = "pi-tls";
      s.getSpec().ingress.annotations = Map.of("a", "b");
      var in = IngressBuilder.build(TestStacks.resolved(s));
      assertThat(in.getMetadata().getName()).isEqualTo("acme");
      assertThat(in.getMetadata().getAnnotations()).containsEntry("a", "b");
      assertThat(in.getSpec().getIngressClassName()).isEqualTo("nginx");
      var path = in.getSpec().getRules().get(0).getHttp().getPaths().get(0);
      assertThat(path.getPath()).isEqualTo("/pi");
      assertThat(path.getBackend().getService().getName()).isEqualTo("acme-dashboard");
      assertThat(path.getBackend().getService().getPort().getName()).isEqualTo("http");
      assertThat(in.getSpec().getTls()).singleElement().satisfies(t -> {
        assertThat(t.getSecretName()).isEqualTo("pi-tls");
        assertThat(t.getHosts()).containsExactly("pi.example.com");
      });
      assertThat(TestStacks.resolved(s).publicUrl()).hasValue("https://pi.example.com/pi");
    }
  }

  @Nested
  class HorizontalPodAutoscalerBuilderTest {
    @Test
    void cpuTargetWithDefaults() {
      PiStack s = TestStacks.minimal();
      s.getSpec().analytics = new ScalableComponentSpec();
      s.getSpec().analytics.autoscaling = new AutoscalingSpec();
      s.getSpec().analytics.autoscaling.enabled = true;
      var hpa = HorizontalPodAutoscalerBuilder.build(TestStacks.resolved(s), Component.ANALYTICS);
      assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
      assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(3);
      assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("acme-analytics");
      var metric = hpa.getSpec().getMetrics().get(0).getResource();
      assertThat(metric.getName()).isEqualTo("cpu");
      assertThat(metric.getTarget().getAverageUtilization()).isEqualTo(80);
    }

    @Test
    void refusesAComponentWithoutAutoscaling() {
      assertThatThrownBy(() -> HorizontalPodAutoscalerBuilder.build(TestStacks.resolved(TestStacks.minimal()),
          Component.SCHEDULER)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  class PodDisruptionBudgetBuilderTest {
    @Test
    void onlyWhenTheDashboardCanRunMoreThanOnePod() {
      PiStack s = TestStacks.minimal();
      assertThat(PodDisruptionBudgetBuilder.wanted(TestStacks.resolved(s))).containsExactly(Component.DASHBOARD); // default 3 replicas
      s.getSpec().dashboard = new DashboardSpec();
      s.getSpec().dashboard.replicas = 1;
      assertThat(PodDisruptionBudgetBuilder.wanted(TestStacks.resolved(s))).isEmpty();
      s.getSpec().dashboard.autoscaling = new AutoscalingSpec();
      s.getSpec().dashboard.autoscaling.enabled = true;
      s.getSpec().dashboard.autoscaling.maxReplicas = 2;
      assertThat(PodDisruptionBudgetBuilder.wanted(TestStacks.resolved(s))).containsExactly(Component.DASHBOARD);
      var pdb = PodDisruptionBudgetBuilder.build(TestStacks.resolved(s), Component.DASHBOARD);
      assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
      assertThat(pdb.getSpec().getSelector().getMatchLabels()).containsEntry(Labels.COMPONENT, "dashboard");
    }
  }

  @Nested
  class DesiredStackTest {
    @Test
    void minimalStackIsTwentyFourObjectsWithMaskedPasswords() {
      var all = DesiredStacks.fresh(TestStacks.resolved(TestStacks.minimal())).objects();
      // 15, plus the dashboard's internal Service, a NetworkPolicy per component and the database's, and the
      // database's root and backup user Secrets (which the hand-kept list `render` used before missed).
      assertThat(all).hasSize(24);
      assertThat(all).filteredOn(o -> o instanceof Secret).extracting(o -> o.getMetadata().getName())
          .containsExactly("acme-db-credentials", "acme-db-root", "acme-db-backup");
      assertThat(all).filteredOn(o -> o instanceof Secret).allSatisfy(o ->
          assertThat(((Secret) o).getStringData().get("password")).isEqualTo(GeneratedSecret.PLACEHOLDER));
      assertThat(all).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
          .containsEntry(Labels.MANAGED_BY, "pi-operator").containsEntry(Labels.PART_OF, "panintelligence"));
    }
  }
}
