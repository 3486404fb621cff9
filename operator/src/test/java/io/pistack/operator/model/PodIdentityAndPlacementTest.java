package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import org.junit.jupiter.api.Test;

/** serviceAccountName, priorityClassName and pod labels per component; placement of the embedded database. */
class PodIdentityAndPlacementTest {
  @Test
  void aComponentsPodsRunAsItsAccountWithItsPriorityAndExtraLabels() {
    ResolvedStack stack = TestStacks.resolved("  version: \"1\"\n  dashboard:\n    serviceAccountName: pi-dashboard\n"
        + "    priorityClassName: business-critical\n    podLabels: {team: bi, cost-centre: \"42\"}\n");
    var template = DeploymentBuilder.build(stack, Component.DASHBOARD).getSpec().getTemplate();
    assertThat(template.getSpec().getServiceAccountName()).isEqualTo("pi-dashboard");
    assertThat(template.getSpec().getPriorityClassName()).isEqualTo("business-critical");
    assertThat(template.getSpec().getAutomountServiceAccountToken()).isFalse();
    assertThat(template.getMetadata().getLabels()).containsEntry("team", "bi").containsEntry("cost-centre", "42")
        .containsAllEntriesOf(Labels.of(stack, "dashboard"));

    var scheduler = DeploymentBuilder.build(stack, Component.SCHEDULER).getSpec().getTemplate();
    assertThat(scheduler.getSpec().getServiceAccountName()).isNull();
    assertThat(scheduler.getSpec().getPriorityClassName()).isNull();
    assertThat(scheduler.getMetadata().getLabels()).isEqualTo(Labels.of(stack, "scheduler"));
  }

  @Test
  void theOperatorsLabelsAlwaysWin() {
    // The schema refuses these keys; render (no API server) and a stale object must not break selectors.
    ResolvedStack stack = TestStacks.resolved("  version: \"1\"\n  renderer:\n"
        + "    podLabels: {app.kubernetes.io/component: dashboard, app.kubernetes.io/extra: x, ok: \"yes\"}\n");
    var labels = DeploymentBuilder.build(stack, Component.RENDERER).getSpec().getTemplate().getMetadata().getLabels();
    assertThat(labels).containsEntry(Labels.COMPONENT, "renderer").doesNotContainKey("app.kubernetes.io/extra")
        .containsEntry("ok", "yes");
  }

  @Test
  void theEmbeddedDatabasePullsWithThePullSecretsAndIsPlacedAsAsked() {
    ResolvedStack stack = TestStacks.resolved("  version: \"1\"\n  image:\n    pullSecrets: [{name: mirror}]\n"
        + "  database:\n    embedded:\n      image: mirror.example.com/library/mariadb:10.11\n"
        + "      nodeSelector: {disk: ssd}\n      tolerations: [{key: dedicated, operator: Equal, value: db, effect: NoSchedule}]\n"
        + "      affinity:\n        nodeAffinity:\n          preferredDuringSchedulingIgnoredDuringExecution:\n"
        + "          - weight: 1\n            preference:\n              matchExpressions: [{key: zone, operator: In, values: [a]}]\n"
        + "      priorityClassName: db-critical\n      podLabels: {backup: nightly}\n");
    var pod = StatefulSetBuilder.mariadb(stack).getSpec().getTemplate();
    assertThat(pod.getSpec().getImagePullSecrets()).extracting(LocalObjectReference::getName).containsExactly("mirror");
    assertThat(pod.getSpec().getNodeSelector()).containsEntry("disk", "ssd");
    assertThat(pod.getSpec().getTolerations()).singleElement().satisfies(t -> assertThat(t.getValue()).isEqualTo("db"));
    assertThat(pod.getSpec().getAffinity().getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution())
        .hasSize(1);
    assertThat(pod.getSpec().getPriorityClassName()).isEqualTo("db-critical");
    assertThat(pod.getMetadata().getLabels()).containsEntry("backup", "nightly").containsAllEntriesOf(Labels.of(stack, "db"));
  }

  @Test
  void withoutSettingsTheDatabasePodIsAsBefore() {
    var pod = StatefulSetBuilder.mariadb(TestStacks.resolved(TestStacks.minimal())).getSpec().getTemplate();
    assertThat(pod.getSpec().getImagePullSecrets()).isEmpty();
    assertThat(pod.getSpec().getNodeSelector()).isNullOrEmpty();
    assertThat(pod.getSpec().getTolerations()).isNullOrEmpty();
    assertThat(pod.getSpec().getAffinity()).isNull();
    assertThat(pod.getSpec().getPriorityClassName()).isNull();
  }
}
