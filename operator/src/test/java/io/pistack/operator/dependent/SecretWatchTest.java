package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.pistack.operator.api.v1alpha1.LicenceSpec;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackSpec;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SecretWatchTest {
  @Test
  void aStackIsReconciledForTheSecretsItsPodsUseButNotForItsGeneratedCredentials() {
    PiStack s = new PiStack();
    s.setMetadata(new ObjectMetaBuilder().withName("pi").withNamespace("ns").build());
    s.setSpec(new PiStackSpec());
    s.getSpec().version = "2025_10.1";
    s.getSpec().licence = new LicenceSpec();
    s.getSpec().licence.secretName = "pi-licence";
    s.getSpec().renderer = new ScalableComponentSpec();
    s.getSpec().renderer.env = List.of(new EnvVarBuilder().withName("TOKEN").withNewValueFrom()
        .withNewSecretKeyRef().withName("render-token").withKey("t").endSecretKeyRef().endValueFrom().build());
    assertThat(SecretWatch.names(s)).containsExactlyInAnyOrder("pi-licence", "render-token");
  }
}
