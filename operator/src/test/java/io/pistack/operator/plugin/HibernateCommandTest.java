package io.pistack.operator.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.pistack.operator.api.v1alpha1.PiStack;
import io.pistack.operator.api.v1alpha1.PiStackStatus;
import io.pistack.operator.it.Stacks;
import io.pistack.operator.model.Labels;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kubectl pi hibernate on the fabric8 mock API server: the merge patch, the GitOps warning, the status screen. */
@EnableKubernetesMockClient(crud = true, https = false)
class HibernateCommandTest {
  KubernetesMockServer server;
  KubernetesClient client;
  @TempDir
  Path dir;
  String kubeconfig;

  @BeforeEach
  void kubeconfig() throws Exception {
    kubeconfig = PluginRun.kubeconfigFile(server, dir, "team");
  }

  PiStack stack(Map<String, String> annotations) {
    PiStack s = Stacks.sample("small.yaml", "team");
    s.getMetadata().setAnnotations(annotations);
    return client.resource(s).create();
  }

  boolean enabled() {
    PiStack s = client.resources(PiStack.class).inNamespace("team").withName("pi").get();
    return s.getSpec().hibernation != null && Boolean.TRUE.equals(s.getSpec().hibernation.enabled);
  }

  @Test
  void onAndOffSetTheFieldAndKeepTheRestOfTheSpec() {
    String version = stack(null).getSpec().version;
    PluginRun on = PluginRun.with(kubeconfig, "hibernate", "on", "pi");
    assertThat(on.code()).as(on.err()).isZero();
    assertThat(on.out()).startsWith("pistack.pistack.io/pi hibernating (spec.hibernation.enabled: true)");
    assertThat(on.err()).isEmpty();
    assertThat(enabled()).isTrue();
    assertThat(client.resources(PiStack.class).inNamespace("team").withName("pi").get().getSpec().version)
        .isEqualTo(version);

    PluginRun off = PluginRun.with(kubeconfig, "hibernate", "off", "pi");
    assertThat(off.code()).as(off.err()).isZero();
    assertThat(off.out()).startsWith("pistack.pistack.io/pi waking (spec.hibernation.enabled: false)");
    assertThat(enabled()).isFalse();
  }

  @Test
  void aStackSyncedByArgoCdIsPatchedWithAWarningThatTheSyncRevertsIt() {
    stack(Map.of("argocd.argoproj.io/tracking-id", "pi:pistack.io/PiStack:team/pi"));
    PluginRun on = PluginRun.with(kubeconfig, "hibernate", "on", "pi");
    assertThat(on.code()).isZero();
    assertThat(on.err()).startsWith("warning: pistack.pistack.io/pi is synced by a GitOps tool"
        + " (argocd.argoproj.io/tracking-id): set spec.hibernation.enabled: true in Git");
    assertThat(enabled()).isTrue();
  }

  @Test
  void statusPrintsTheConditionsAndThePodsThatRun() {
    PiStack s = stack(null);
    s.getSpec().hibernation = new io.pistack.operator.api.v1alpha1.HibernationSpec();
    s.getSpec().hibernation.enabled = true;
    s = client.resource(s).update();
    s.setStatus(new PiStackStatus());
    s.getStatus().conditions = List.of(
        new ConditionBuilder().withType("Ready").withStatus("False").withReason("Hibernating").withMessage("m").build(),
        new ConditionBuilder().withType("Hibernated").withStatus("False").withReason("Hibernating")
            .withMessage("hibernating: stopping the database (waiting for database)").build());
    client.resource(s).updateStatus();
    client.resource(new PodBuilder().withNewMetadata().withName("pi-db-0").withNamespace("team")
        .withLabels(Map.of(Labels.INSTANCE, "pi", Labels.MANAGED_BY, Labels.OPERATOR)).endMetadata()
        .withNewStatus().withPhase("Running").endStatus().build()).create();
    client.resource(new PodBuilder().withNewMetadata().withName("pi-backup-1").withNamespace("team")
        .withLabels(Map.of(Labels.INSTANCE, "pi", Labels.MANAGED_BY, Labels.OPERATOR)).endMetadata()
        .withNewStatus().withPhase("Succeeded").endStatus().build()).create();

    PluginRun r = PluginRun.with(kubeconfig, "hibernate", "status", "pi");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        stack:        pi
        hibernation:  on (spec.hibernation.enabled: true)
        Hibernated:   False Hibernating: hibernating: stopping the database (waiting for database)
        Ready:        False Hibernating: m
        pods:         1 (pi-db-0)
        """);
  }

  @Test
  void aWrongActionIsAUsageError() {
    PluginRun r = PluginRun.with(kubeconfig, "hibernate", "maybe", "pi");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).startsWith("error: ").contains("maybe");
  }
}
