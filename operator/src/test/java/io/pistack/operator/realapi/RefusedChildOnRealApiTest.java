package io.pistack.operator.realapi;

import static io.pistack.operator.realapi.RealApiStack.claim;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.pistack.operator.api.v1alpha1.DatabaseSpec;
import io.pistack.operator.api.v1alpha1.EmbeddedDatabaseSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.VolumeRules;
import io.pistack.operator.catalogue.Catalogue;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.pistack.operator.status.ConditionType;
import org.junit.jupiter.api.Test;

/**
 * What validation cannot foresee: a change the API server refuses for a child that exists (a
 * claim that is not bound to a volume cannot be resized). The condition names the object and the
 * field from the refusal's causes, never the server's message, which can quote values.
 */
class RefusedChildOnRealApiTest {
  @Test
  void aRefusedChildIsReportedWithItsFieldPath() {
    try (RealApiStack env = new RealApiStack("refused", claim("pi-shared", "5Gi", "ReadWriteMany"))) {
      // An expandable class passes the resize admission; the claim stays unbound (no volume, no provisioner).
      String expandable = "expandable-" + env.ns;
      env.admin.resource(new io.fabric8.kubernetes.api.model.storage.StorageClassBuilder().withNewMetadata()
          .withName(expandable).endMetadata().withProvisioner("kubernetes.io/no-provisioner")
          .withAllowVolumeExpansion(true).build()).create();
      try {
        PiStack s = env.smallStack();
        s.getSpec().database = new DatabaseSpec();
        s.getSpec().database.embedded = new EmbeddedDatabaseSpec();
        s.getSpec().database.embedded.storageClassName = expandable;
        env.admin.resource(s).create();
        await().atMost(RealApiStack.T).until(() ->
            env.admin.persistentVolumeClaims().inNamespace(env.ns).withName("data-pi-db-0").get() != null);

        // Retried on a conflict: the operator writes the status meanwhile (ci15: a 409 from edit's locked patch).
        io.pistack.operator.it.Stacks.edit(env.admin, env.ns, "pi", p -> p.getSpec().database.embedded.storageSize = "20Gi");
        await().atMost(RealApiStack.T).ignoreExceptions().untilAsserted(() -> {
          Condition ready = env.stack().getStatus().conditions.stream()
              .filter(c -> ConditionType.READY.wire().equals(c.getType())).findFirst().orElseThrow();
          assertThat(ready.getReason()).isEqualTo("ReconcileFailed");
          assertThat(ready.getMessage()).contains("422").contains("PersistentVolumeClaim data-pi-db-0 field spec")
              .doesNotContain("Forbidden").doesNotContain("20Gi").doesNotContainPattern(Catalogue.JAVA_LEAK);
        });
      } finally {
        env.admin.storage().v1().storageClasses().withName(expandable).delete();
      }
    }
  }

  /** Shrinking the database volume is refused at admission (a transition rule), with the sentence. */
  @Test
  void aShrunkDatabaseVolumeIsRefusedAtAdmission() {
    try (RealApiStack env = new RealApiStack("volume")) {
      PiStack s = env.smallStack();
      s.getSpec().database = new DatabaseSpec();
      s.getSpec().database.embedded = new EmbeddedDatabaseSpec();
      s.getSpec().database.embedded.storageSize = "20Gi";
      env.admin.resource(s).create();
      org.assertj.core.api.Assertions.assertThatThrownBy(() ->
              io.pistack.operator.it.Stacks.edit(env.admin, env.ns, "pi", // a 409 is retried, the 422 is not
                  p -> p.getSpec().database.embedded.storageSize = "10Gi"))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("spec")
          .hasMessageContaining(VolumeRules.DB_GROWS_MESSAGE);
      // Other changes of the section still pass.
      io.pistack.operator.it.Stacks.edit(env.admin, env.ns, "pi",
          p -> p.getSpec().database.embedded.image = "docker.io/library/mariadb:10.11.9");
      assertThat(env.stack().getSpec().database.embedded.image).endsWith("10.11.9");
    }
  }
}
