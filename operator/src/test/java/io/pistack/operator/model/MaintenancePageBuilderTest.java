package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.pistack.operator.model.MaintenancePageDecision.Why;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The maintenance page's objects: an nginx that answers 503 with Retry-After on the dashboard's port, under the
 * restricted Pod Security Standard, admitted by the same peers as the dashboard; and the dashboard's Service
 * pointed at it by its selector alone.
 */
class MaintenancePageBuilderTest {
  static final MaintenancePageDecision UP = new MaintenancePageDecision(true, true, Why.RESTORE, false);

  static ResolvedStack stack(String extra) {
    return TestStacks.resolved("  version: \"2025_10.1\"\n" + extra);
  }

  @Test
  void noObjectsWithoutThePage() {
    assertThat(MaintenancePageBuilder.objects(stack(""), MaintenancePageDecision.none())).isEmpty();
  }

  @Test
  void theConfigAnswers503WithRetryAfterOnTheDashboardsPortAndThePageSaysWhy() {
    List<HasMetadata> objects = MaintenancePageBuilder.objects(stack("  maintenancePage: {retryAfterSeconds: 300}\n"),
        UP);
    assertThat(objects).extracting(HasMetadata::getKind).containsExactly("ConfigMap", "NetworkPolicy", "Deployment");
    assertThat(objects).allSatisfy(o -> {
      assertThat(o.getMetadata().getName()).isEqualTo("pi-maintenance");
      assertThat(o.getMetadata().getLabels()).containsEntry(Labels.MANAGED_BY, Labels.OPERATOR)
          .containsEntry(Labels.COMPONENT, "maintenance").doesNotContainKey(Labels.VERSION);
    });
    ConfigMap cm = (ConfigMap) objects.get(0);
    String conf = cm.getData().get("nginx.conf");
    assertThat(conf).contains("listen 8224;", "return 503;", "error_page 503 /index.html;",
        "add_header Retry-After 300 always;", "pid /tmp/nginx.pid;", "root /etc/pi-maintenance/html;");
    assertThat(cm.getData().get("index.html")).contains("restored from a backup", "about 5 minutes",
        "http-equiv=\"refresh\" content=\"300\"");
  }

  @Test
  void thePodRunsUnprivilegedWithAReadOnlyRootAndTheConfiguredImage() {
    Deployment d = (Deployment) MaintenancePageBuilder.objects(stack(
        "  maintenancePage: {image: registry.example.com/nginx-unprivileged:1.27}\n"), UP).get(2);
    var pod = d.getSpec().getTemplate().getSpec();
    assertThat(d.getSpec().getReplicas()).isEqualTo(1);
    assertThat(d.getSpec().getSelector().getMatchLabels()).isEqualTo(Labels.selector(stack(""), "maintenance"));
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(101L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getAutomountServiceAccountToken()).isFalse();
    assertThat(pod.getEnableServiceLinks()).isFalse();
    var c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("registry.example.com/nginx-unprivileged:1.27");
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getPorts()).singleElement().satisfies(p -> assertThat(p.getContainerPort()).isEqualTo(8224));
    assertThat(c.getArgs()).containsSequence("-c", "/etc/pi-maintenance/nginx.conf");
    assertThat(c.getResources().getLimits()).containsKeys("cpu", "memory");
    // The default image.
    Deployment byDefault = (Deployment) MaintenancePageBuilder.objects(stack(""), UP).get(2);
    assertThat(byDefault.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo("docker.io/nginxinc/nginx-unprivileged:1.27-alpine");
    // A new Retry-After restarts nginx (its configuration changed); a new reason does not (only the page).
    String hash = byDefault.getSpec().getTemplate().getMetadata().getAnnotations().get(MaintenancePageBuilder.CONFIG_HASH);
    Deployment otherWhy = (Deployment) MaintenancePageBuilder.objects(stack(""),
        new MaintenancePageDecision(true, true, Why.UPGRADE, false)).get(2);
    assertThat(otherWhy).isEqualTo(byDefault);
    Deployment otherRetry = (Deployment) MaintenancePageBuilder.objects(stack("  maintenancePage: {retryAfterSeconds: 30}\n"),
        UP).get(2);
    assertThat(otherRetry.getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainEntry(MaintenancePageBuilder.CONFIG_HASH, hash);
  }

  @Test
  void theNetworkPolicyAdmitsWhomTheDashboardsPolicyAdmitsOnItsPublicPort() {
    ResolvedStack s = stack("  networkPolicy:\n    dashboardFrom:\n      - namespaceSelector: {matchLabels: {"
        + "kubernetes.io/metadata.name: ingress-nginx}}\n");
    NetworkPolicy page = (NetworkPolicy) MaintenancePageBuilder.objects(s, UP).get(1);
    NetworkPolicy dashboard = NetworkPolicyBuilder.build(s).stream()
        .filter(np -> np.getMetadata().getName().equals("pi-dashboard")).findFirst().orElseThrow();
    assertThat(page.getSpec().getPodSelector().getMatchLabels()).isEqualTo(Labels.selector(s, "maintenance"));
    assertThat(page.getSpec().getIngress()).isEqualTo(dashboard.getSpec().getIngress().stream()
        .filter(r -> r.getPorts().get(0).getPort().getIntVal() == 8224).toList());
    assertThat(page.getSpec().getIngress()).isNotEmpty().allSatisfy(r -> assertThat(r.getFrom()).isNotEmpty());
    // No NetworkPolicies for the stack: none for the page.
    assertThat(MaintenancePageBuilder.objects(stack("  networkPolicy: {enabled: false}\n"), UP))
        .extracting(HasMetadata::getKind).containsExactly("ConfigMap", "Deployment");
  }

  @Test
  void onlyTheDashboardServicesSelectorChanges() {
    ResolvedStack s = stack("");
    Service dashboard = ServiceBuilder.build(s, Component.DASHBOARD);
    Service routed = MaintenancePageBuilder.route(s, ServiceBuilder.build(s, Component.DASHBOARD), UP);
    assertThat(routed.getSpec().getSelector()).isEqualTo(Labels.selector(s, "maintenance"));
    routed.getSpec().setSelector(dashboard.getSpec().getSelector());
    assertThat(routed).as("everything but the selector as it was").isEqualTo(dashboard);
    // Not selected yet, or another Service: untouched.
    assertThat(MaintenancePageBuilder.route(s, ServiceBuilder.build(s, Component.DASHBOARD),
        new MaintenancePageDecision(true, false, Why.RESTORE, false))).isEqualTo(dashboard);
    Service renderer = ServiceBuilder.build(s, Component.RENDERER);
    assertThat(MaintenancePageBuilder.route(s, ServiceBuilder.build(s, Component.RENDERER), UP)).isEqualTo(renderer);
  }
}
