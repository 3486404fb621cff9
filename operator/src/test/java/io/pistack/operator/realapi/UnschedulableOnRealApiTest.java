package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.status.ConditionType;
import io.pistack.operator.status.Conditions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pods the real scheduler cannot place are reported within a minute as Ready's reason Unschedulable
 * (Progressing, not Degraded), in the scheduler's words: a dashboard requesting more CPU than the node has ("Insufficient cpu"), and the
 * database pod whose claim no volume or StorageClass can satisfy ("unbound immediate
 * PersistentVolumeClaims"). Given the room and the volume, the same stack becomes Ready.
 */
class UnschedulableOnRealApiTest {
  static final Duration T = RealApiStack.T;
  static final Duration A_MINUTE = Duration.ofSeconds(60);
  RealApiStack env;
  String dbVolume;

  @BeforeEach
  void start() {
    // The shared volume is there; the database's is not (no provisioner, no StorageClass).
    env = new RealApiStack("unschedulable", claim("pi-shared", "5Gi", "ReadWriteMany"));
  }

  @AfterEach
  void stop() {
    if (dbVolume != null) {
      env.admin.persistentVolumes().withName(dbVolume).delete();
    }
    env.close();
  }

  @Test
  void podsNoNodeCanTakeAreReportedWithWhatIsShortWithinAMinute() {
    PiStack s = env.smallStack();
    // More CPU than the node (kwok's, 1000 CPUs) has: the node is too small for it.
    s.getSpec().dashboard.resources = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("4000"))
        .addToRequests("memory", new Quantity("64Mi")).addToLimits("memory", new Quantity("1536Mi")).build();
    env.admin.resource(s).create();

    await().atMost(A_MINUTE).untilAsserted(() -> {
      assertThat(env.stack().getStatus()).isNotNull();
      var conditions = env.stack().getStatus().conditions;
      Condition dashboard = Conditions.find(conditions, "DashboardReady");
      assertThat(dashboard.getReason()).isEqualTo("Unschedulable");
      assertThat(dashboard.getMessage()).startsWith("dashboard: pod pi-dashboard-").contains("Insufficient cpu");
      Condition database = Conditions.find(conditions, ConditionType.DATABASE_READY.wire());
      assertThat(database.getReason()).isEqualTo("Unschedulable");
      assertThat(database.getMessage()).startsWith("database: pod pi-db-0 cannot be scheduled")
          .contains("unbound immediate PersistentVolumeClaims");
      Condition ready = Conditions.find(conditions, ConditionType.READY.wire());
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("Unschedulable");
      assertThat(ready.getMessage()).contains("Insufficient cpu").contains("unbound immediate PersistentVolumeClaims");
      // Not a fault (an autoscaler or a late volume may resolve it): Progressing, not Degraded.
      assertThat(Conditions.isTrue(conditions, ConditionType.PROGRESSING.wire())).isTrue();
      assertThat(Conditions.find(conditions, ConditionType.DEGRADED.wire()).getStatus()).isEqualTo("False");
    });

    // Room and a volume: the same stack becomes Ready.
    dbVolume = RealApiStack.volume(env.admin, env.ns, "data-pi-db-0", "10Gi", "ReadWriteOnce");
    Stacks.edit(env.admin, env.ns, "pi", p -> p.getSpec().dashboard.resources.getRequests()
        .put("cpu", new Quantity("10m")));
    await().atMost(T).untilAsserted(() -> assertThat(env.readyReason()).isEqualTo("AllComponentsReady"));
  }
}
