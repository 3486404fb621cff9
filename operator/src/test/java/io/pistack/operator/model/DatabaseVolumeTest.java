package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

/** The database volume: a grown size goes to the claim, the StatefulSet keeps its live template. */
class DatabaseVolumeTest {
  private static final String DB = """
        database:
          embedded:
            storageSize: %s
            storageClassName: %s
      """;

  @Test
  void theStatefulSetKeepsItsLiveClaimTemplate() {
    StatefulSet live = StatefulSetBuilder.mariadb(TestStacks.resolved(DB.formatted("10Gi", "fast")));
    StatefulSet grown = StatefulSetBuilder.mariadb(TestStacks.resolved(DB.formatted("20Gi", "fast")));
    assertThat(storage(grown)).isEqualTo(new Quantity("20Gi"));

    StatefulSet applied = StatefulSetBuilder.keepingClaimTemplates(grown, live);
    assertThat(storage(applied)).isEqualTo(new Quantity("10Gi"));
    assertThat(applied.getSpec().getVolumeClaimTemplates().get(0).getSpec().getStorageClassName()).isEqualTo("fast");
    assertThat(applied.getSpec().getVolumeClaimTemplates()).isEqualTo(live.getSpec().getVolumeClaimTemplates());
    // Nothing else of the StatefulSet is taken from the live object.
    assertThat(applied.getSpec().getTemplate()).isEqualTo(grown.getSpec().getTemplate());
  }

  @Test
  void aNewStatefulSetGetsTheSpecsTemplate() {
    StatefulSet fresh = StatefulSetBuilder.mariadb(TestStacks.resolved(DB.formatted("20Gi", "fast")));
    assertThat(storage(StatefulSetBuilder.keepingClaimTemplates(fresh, null))).isEqualTo(new Quantity("20Gi"));
  }

  @Test
  void theClaimAsAppliedCarriesOnlyItsSize() {
    PersistentVolumeClaim c = PersistentVolumeClaimBuilder.database(TestStacks.resolved(DB.formatted("20Gi", "fast")));
    assertThat(c.getMetadata().getName()).isEqualTo("data-pi-db-0");
    assertThat(c.getMetadata().getNamespace()).isEqualTo("ns");
    assertThat(c.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(c.getSpec().getAccessModes()).isNullOrEmpty();
    assertThat(c.getSpec().getStorageClassName()).isNull();
    assertThat(c.getSpec().getResources().getRequests()).containsOnlyKeys("storage")
        .containsEntry("storage", new Quantity("20Gi"));
  }

  private static Quantity storage(StatefulSet s) {
    return s.getSpec().getVolumeClaimTemplates().get(0).getSpec().getResources().getRequests().get("storage");
  }
}
