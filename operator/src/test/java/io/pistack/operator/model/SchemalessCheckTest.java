package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pistack.operator.api.v1alpha1.KubernetesShape;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.model.SpecValidator.Problem;
import io.pistack.operator.model.SpecValidator.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemalessCheckTest {
  static final String VERSION = "  version: \"2025_10.1\"\n  licence: {secretName: pi-licence}\n";

  static List<String> problems(String spec) {
    PiStack stack = TestStacks.of(VERSION + spec);
    List<Problem> all = SpecValidator.validate(stack);
    assertThat(all).allSatisfy(p -> assertThat(p.stage()).isEqualTo(Stage.OPERATOR));
    return all.stream().map(Problem::toString).toList();
  }

  @Test
  void aTypoIsRefusedWithItsPathAndTheFieldItProbablyMeant() {
    assertThat(problems("  dashboard:\n    securityContext: {runAsUsr: 1000}\n"))
        .containsExactly("spec.dashboard.securityContext.runAsUsr: unknown field; did you mean runAsUser?");
    assertThat(problems("  scheduler:\n    podSecurityContext:\n      seccompProfile: {typ: RuntimeDefault}\n"))
        .containsExactly("spec.scheduler.podSecurityContext.seccompProfile.typ: unknown field; did you mean type?");
    assertThat(problems("  database:\n    embedded:\n      podSecurityContext: {fsGrop: 1000}\n"))
        .containsExactly("spec.database.embedded.podSecurityContext.fsGrop: unknown field; did you mean fsGroup?");
    assertThat(problems("  renderer:\n    securityContext: {completelyDifferent: true}\n"))
        .containsExactly("spec.renderer.securityContext.completelyDifferent: unknown field");
    assertThat(problems("  dashboard:\n    podSecurityContext:\n      sysctls: [{name: a, valu: b}]\n"))
        .containsExactly("spec.dashboard.podSecurityContext.sysctls[0].valu: unknown field; did you mean value?");
  }

  @Test
  void aWrongTypeIsReadAndRefusedWithItsPathNotAFailureToReadTheStack() {
    assertThat(problems("  dashboard:\n    podSecurityContext: {runAsUser: abc, runAsGroup: 1000}\n"))
        .containsExactly("spec.dashboard.podSecurityContext.runAsUser: must be an integer, not a string");
    assertThat(problems("  renderer:\n    securityContext:\n      capabilities: {drop: ALL}\n"))
        .containsExactly("spec.renderer.securityContext.capabilities.drop: must be a list of strings, not a string");
    assertThat(problems("  renderer:\n    securityContext:\n      capabilities: {add: [1]}\n"))
        .containsExactly("spec.renderer.securityContext.capabilities.add: must be a list of strings");
    assertThat(problems("  database:\n    embedded:\n      securityContext: {runAsNonRoot: \"yes\"}\n"))
        .containsExactly("spec.database.embedded.securityContext.runAsNonRoot: must be true or false, not a string");
    assertThat(problems("  analytics:\n    securityContext: {capabilities: ALL}\n"))
        .containsExactly("spec.analytics.securityContext.capabilities: must be an object, not a string");
    assertThat(problems("  dashboard:\n    podSecurityContext: {runAsUser: \"1000\"}\n"))
        .as("the Pod API takes a number here, not a string").hasSize(1);
    // The rest of a context with one wrong field is still read.
    PiStack s = TestStacks.of(VERSION + "  dashboard:\n    podSecurityContext: {runAsUser: abc, runAsGroup: 1000}\n");
    assertThat(s.getSpec().dashboard.podSecurityContext.getRunAsGroup()).isEqualTo(1000L);
    assertThat(s.getSpec().dashboard.podSecurityContext.getRunAsUser()).isNull();
  }

  @Test
  void correctContextsPassAndReadExactlyAsBefore() {
    String spec = "  dashboard:\n    podSecurityContext:\n      runAsNonRoot: true\n      runAsUser: 1000\n"
        + "      fsGroup: 1000\n      supplementalGroups: [5, 6]\n      seccompProfile: {type: RuntimeDefault}\n"
        + "      sysctls: [{name: net.core.somaxconn, value: \"1024\"}]\n"
        + "    securityContext:\n      allowPrivilegeEscalation: false\n      readOnlyRootFilesystem: true\n"
        + "      capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n      seLinuxOptions: {level: \"s0:c1\"}\n";
    assertThat(problems(spec)).isEmpty();
    PiStack s = TestStacks.of(VERSION + spec);
    KubernetesSerialization k = new KubernetesSerialization();
    PodSecurityContext plain = k.unmarshal("runAsNonRoot: true\nrunAsUser: 1000\nfsGroup: 1000\n"
        + "supplementalGroups: [5, 6]\nseccompProfile: {type: RuntimeDefault}\n"
        + "sysctls: [{name: net.core.somaxconn, value: \"1024\"}]\n", PodSecurityContext.class);
    assertThat(s.getSpec().dashboard.podSecurityContext).isEqualTo(plain);
    assertThat(s.getSpec().dashboard.securityContext.getCapabilities().getAdd()).containsExactly("NET_BIND_SERVICE");
    assertThat(problems("  dashboard:\n    securityContext: {}\n")).isEmpty();
  }

  @Test
  void theKnownFieldsAreTheKubernetesModelsOwn() {
    assertThat(KubernetesShape.fields(SecurityContext.class)).containsKeys("runAsUser", "capabilities",
        "allowPrivilegeEscalation", "seccompProfile", "appArmorProfile", "procMount", "windowsOptions")
        .doesNotContainKey("additionalProperties");
    assertThat(KubernetesShape.fields(PodSecurityContext.class)).containsKeys("fsGroup", "sysctls",
        "supplementalGroups", "fsGroupChangePolicy");
  }

  @Test
  void theOperatorsOwnReaderReadsAWrongTypeToo() {
    // The informer reads PiStacks with the client's serialization: a wrong type there stopped the watch.
    String yaml = "apiVersion: pistack.io/v1alpha1\nkind: PiStack\nmetadata: {name: pi, namespace: ns}\nspec:\n"
        + VERSION + "  dashboard:\n    podSecurityContext: {runAsUser: abc}\n";
    PiStack s = new KubernetesSerialization().unmarshal(yaml, PiStack.class);
    assertThat(SpecValidator.validate(s)).extracting(Problem::path)
        .containsExactly("spec.dashboard.podSecurityContext.runAsUser");
  }
}
