package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpecBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicySpecBuilder;
import io.pistack.operator.api.v1alpha1.MaintenancePageSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The maintenance page's objects (docs/maintenance-page.md), all named {@code <stack>-maintenance}: a ConfigMap with
 * the nginx configuration and the page, a one-pod Deployment of an unprivileged nginx that answers every request
 * on the dashboard's port with the page, HTTP 503 and Retry-After, and a NetworkPolicy admitting exactly whom the
 * dashboard's own policy admits on that port. {@link #route} points the dashboard's Service at it: only the
 * selector changes, so the Service keeps its name, uid and ClusterIP. Pure.
 */
public final class MaintenancePageBuilder {
  /** The page's part: its objects' and pods' app.kubernetes.io/component. */
  public static final String PART = "maintenance";
  /** The nginx user of the unprivileged nginx image (uid and gid). */
  public static final long NGINX_USER = 101L;
  /** Where the ConfigMap is mounted: nginx.conf, and the page under html/. */
  public static final String CONFIG_DIR = "/etc/pi-maintenance";
  public static final String CONF_KEY = "nginx.conf";
  public static final String PAGE_KEY = "index.html";
  /** The pod template's digest of nginx.conf: a changed configuration restarts nginx (the page itself does not). */
  public static final String CONFIG_HASH = "pistack.io/maintenance-config-hash";

  private MaintenancePageBuilder() {}

  public static String name(ResolvedStack stack) {
    return stack.name() + "-" + PART;
  }

  /**
   * The page can be shown for this stack: not switched off, a dashboard to stand in for, and a dashboard that
   * serves plain HTTP (the page cannot answer a client that expects the dashboard's TLS).
   */
  public static boolean enabled(ResolvedStack stack) {
    MaintenancePageSpec spec = stack.source().getSpec().maintenancePage;
    Component main = Component.main();
    return (spec == null || !Boolean.FALSE.equals(spec.enabled)) && stack.enabled(main)
        && main.publicPorts().stream().noneMatch(p -> stack.servesTls(main, p.name()));
  }

  public static String image(ResolvedStack stack) {
    MaintenancePageSpec spec = stack.source().getSpec().maintenancePage;
    return spec == null || spec.image == null || spec.image.isBlank() ? MaintenancePageSpec.DEFAULT_IMAGE : spec.image;
  }

  public static int retryAfterSeconds(ResolvedStack stack) {
    MaintenancePageSpec spec = stack.source().getSpec().maintenancePage;
    return spec == null || spec.retryAfterSeconds == null ? MaintenancePageSpec.DEFAULT_RETRY_AFTER
        : spec.retryAfterSeconds;
  }

  /** The page's objects the decision wants, in apply order (ConfigMap, NetworkPolicy, Deployment); none without. */
  public static List<HasMetadata> objects(ResolvedStack stack, MaintenancePageDecision page) {
    List<HasMetadata> all = new ArrayList<>();
    if (!page.objects()) {
      return all;
    }
    all.add(configMap(stack, page.why()));
    networkPolicy(stack).ifPresent(all::add);
    all.add(deployment(stack));
    return all;
  }

  /** The dashboard's Service, pointed at the page's pods when the decision selects them; any other as it is. */
  public static Service route(ResolvedStack stack, Service service, MaintenancePageDecision page) {
    if (page.selected() && service.getMetadata().getName().equals(stack.name(Component.main()))) {
      service.getSpec().setSelector(Labels.selector(stack, PART));
    }
    return service;
  }

  static ConfigMap configMap(ResolvedStack stack, MaintenancePageDecision.Why why) {
    return new ConfigMapBuilder().withMetadata(ChildMetadata.of(stack, name(stack), PART))
        .addToData(CONF_KEY, MaintenancePageContent.nginxConf(Component.main().port(), retryAfterSeconds(stack)))
        .addToData(PAGE_KEY, MaintenancePageContent.page(why, retryAfterSeconds(stack)))
        .build();
  }

  static Deployment deployment(ResolvedStack stack) {
    int port = Component.main().port();
    SecurityContext container = PodSecurity.defaultContainer();
    container.setReadOnlyRootFilesystem(true);
    var pod = new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(Labels.of(stack, PART))
        .withAnnotations(Map.of(CONFIG_HASH, digest(MaintenancePageContent.nginxConf(port, retryAfterSeconds(stack)))))
        .endMetadata()
        .withNewSpec()
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(PodSecurity.defaultPod(NGINX_USER))
        .withImagePullSecrets(stack.images().pullSecrets())
        .withContainers(new ContainerBuilder().withName(PART).withImage(image(stack))
            .withImagePullPolicy(stack.images().pullPolicy())
            .withCommand("nginx").withArgs("-e", "stderr", "-c", CONFIG_DIR + "/" + CONF_KEY, "-g", "daemon off;")
            .addNewPort().withName("http").withContainerPort(port).withProtocol("TCP").endPort()
            .withResources(new ResourceRequirementsBuilder()
                .withRequests(Map.of("cpu", new Quantity("10m"), "memory", new Quantity("16Mi")))
                .withLimits(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("64Mi"))).build())
            .withSecurityContext(container)
            .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket()
            .withPeriodSeconds(5).endReadinessProbe()
            .withNewLivenessProbe().withNewTcpSocket().withPort(new IntOrString(port)).endTcpSocket()
            .withPeriodSeconds(10).endLivenessProbe()
            .addNewVolumeMount().withName("config").withMountPath(CONFIG_DIR).withReadOnly(true).endVolumeMount()
            .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
            .build())
        .addNewVolume().withName("config").withNewConfigMap().withName(name(stack))
        .addNewItem().withKey(CONF_KEY).withPath(CONF_KEY).endItem()
        .addNewItem().withKey(PAGE_KEY).withPath("html/" + PAGE_KEY).endItem()
        .endConfigMap().endVolume()
        .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("16Mi")).endEmptyDir().endVolume()
        .endSpec().build();
    Deployment d = new Deployment();
    d.setMetadata(ChildMetadata.of(stack, name(stack), PART));
    d.setSpec(new DeploymentSpecBuilder()
        .withReplicas(1)
        .withNewSelector().withMatchLabels(Labels.selector(stack, PART)).endSelector()
        .withRevisionHistoryLimit(2)
        .withProgressDeadlineSeconds(DeploymentBuilder.PROGRESS_DEADLINE)
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate().withMaxSurge(new IntOrString(1))
        .withMaxUnavailable(new IntOrString(0)).endRollingUpdate().endStrategy()
        .withTemplate(pod)
        .build());
    return d;
  }

  /**
   * The dashboard's own policy, on its public ports, for the page's pods: whoever may reach the dashboard's page may
   * reach this one, nobody else. None when the stack has no NetworkPolicies.
   */
  static java.util.Optional<NetworkPolicy> networkPolicy(ResolvedStack stack) {
    Component main = Component.main();
    List<Integer> ports = main.publicPorts().stream().map(ComponentDefinition.NamedPort::number).toList();
    return NetworkPolicyBuilder.build(stack).stream().filter(np -> stack.name(main).equals(np.getMetadata().getName()))
        .findFirst().map(dashboard -> {
          List<NetworkPolicyIngressRule> rules = dashboard.getSpec().getIngress().stream()
              .filter(r -> r.getPorts().stream().anyMatch(p -> ports.contains(p.getPort().getIntVal()))).toList();
          NetworkPolicy np = new NetworkPolicy();
          np.setMetadata(ChildMetadata.of(stack, name(stack), PART));
          np.setSpec(new NetworkPolicySpecBuilder()
              .withPodSelector(new LabelSelectorBuilder().withMatchLabels(Labels.selector(stack, PART)).build())
              .withPolicyTypes("Ingress").withIngress(rules).build());
          return np;
        });
  }

  static String digest(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
