package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import org.junit.jupiter.api.Test;

/** The database claim is written only to grow it: equal (in any unit) or smaller asks match. */
class DatabaseVolumeClaimDependentTest {
  @Test
  void onlyAGrowIsAWrite() {
    assertThat(DatabaseVolumeClaimDependent.grows(claim("10Gi"), claim("20Gi"))).isTrue();
    assertThat(DatabaseVolumeClaimDependent.grows(claim("10Gi"), claim("10241Mi"))).isTrue();
    assertThat(DatabaseVolumeClaimDependent.grows(claim("10Gi"), claim("10240Mi"))).isFalse();
    assertThat(DatabaseVolumeClaimDependent.grows(claim("10Gi"), claim("10Gi"))).isFalse();
    assertThat(DatabaseVolumeClaimDependent.grows(claim("20Gi"), claim("10Gi"))).isFalse();
    assertThat(DatabaseVolumeClaimDependent.grows(new PersistentVolumeClaim(), claim("10Gi"))).isFalse();
  }

  private static PersistentVolumeClaim claim(String size) {
    return new PersistentVolumeClaimBuilder().withNewSpec().withNewResources().addToRequests("storage",
        new io.fabric8.kubernetes.api.model.Quantity(size)).endResources().endSpec().build();
  }
}
