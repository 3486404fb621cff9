package io.pistack.operator.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.ScalableComponentSpec;
import io.pistack.operator.api.v1alpha1.SecretRef;
import io.pistack.operator.desired.DesiredStacks;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.ResolvedStack;
import io.pistack.operator.model.SecretDigests;
import io.pistack.operator.status.ReferencedSecrets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The spec stage reads a stack's Secrets once, by the names SecretWatch maps Secret events with (SecretWatch#names),
 * into the resolved view (SecretWatch#digests): a Secret looked up by a pod template's digest (SecretDigests) or by
 * the check of the Secrets the spec names (ReferencedSecrets) outside those names would read as absent. For every
 * sample, and stacks that reference Secrets in every way the builders know, every name the desired stack and the
 * check look up is one of those names.
 */
class SecretCoverageTest {
  static Stream<PiStack> stacks() throws java.io.IOException {
    Stream<PiStack> samples = Stacks.samples().map(Path::getFileName).map(f -> Stacks.sample(f.toString(), "ns"));
    PiStack own = Stacks.sample("minimal.yaml", "ns");
    own.getSpec().database = new io.pistack.operator.api.v1alpha1.DatabaseSpec();
    own.getSpec().database.embedded = new io.pistack.operator.api.v1alpha1.EmbeddedDatabaseSpec();
    own.getSpec().database.embedded.credentialsSecret = new SecretRef();
    own.getSpec().database.embedded.credentialsSecret.name = "app-db";
    own.getSpec().renderer = new ScalableComponentSpec();
    own.getSpec().renderer.enabled = true;
    own.getSpec().renderer.env = List.of(new EnvVarBuilder().withName("TOKEN").withNewValueFrom()
        .withNewSecretKeyRef().withName("render-token").withKey("t").endSecretKeyRef().endValueFrom().build());
    own.getSpec().dashboard = new io.pistack.operator.api.v1alpha1.DashboardSpec();
    own.getSpec().dashboard.extraVolumes = List.of(new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree("{\"name\":\"extra\",\"secret\":{\"secretName\":\"dashboard-extra\"}}"));
    own.getSpec().dashboard.extraVolumeMounts = List.of(new io.fabric8.kubernetes.api.model.VolumeMountBuilder()
        .withName("extra").withMountPath("/extra").build());
    return Stream.concat(samples, Stream.of(own));
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void theSecretsReadOnceCoverEveryNameAPodTemplateOrCheckLooksUp(PiStack stack) {
    Set<String> asked = new TreeSet<>();
    SecretDigests.Lookup recording = name -> {
      asked.add(name);
      return Optional.empty();
    };
    ResolvedStack resolved = new ResolvedStack(stack, recording);
    ReferencedSecrets.check(resolved);
    DesiredStacks.fresh(resolved);
    assertThat(asked).isNotEmpty(); // every sample names its licence at least
    assertThat(SecretWatch.names(new ResolvedStack(stack))).containsAll(asked);
  }
}
