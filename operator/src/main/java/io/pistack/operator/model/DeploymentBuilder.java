package io.pistack.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategyBuilder;
import io.pistack.operator.api.v1alpha1.ComponentSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Deployment of one Pi component. */
public final class DeploymentBuilder {
  /** The dashboard may need minutes to start; give a rollout 15 minutes before it is failed. */
  static final int DASHBOARD_PROGRESS_DEADLINE = 900;
  static final int PROGRESS_DEADLINE = 600;
  /** The certificate and key of a component that serves HTTPS (spec.<component>.https). */
  static final String TLS_VOLUME = "pi-tls";

  private DeploymentBuilder() {}

  public static Deployment build(ResolvedStack stack, Component c) {
    var spec = new DeploymentSpecBuilder()
        .withNewSelector().withMatchLabels(Labels.selector(stack, c.part())).endSelector()
        .withRevisionHistoryLimit(5)
        .withProgressDeadlineSeconds(c.progressDeadlineSeconds())
        .withTemplate(podTemplate(stack, c));
    // With an HPA the Deployment carries no replicas, so the operator never fights the autoscaler.
    stack.sizing(c).replicas().ifPresent(spec::withReplicas);
    if (c.singleton()) {
      // Never two pods at once, not even during a rollout.
      spec.withStrategy(new DeploymentStrategyBuilder().withType("Recreate").build());
    } else {
      spec.withStrategy(new DeploymentStrategyBuilder().withType("RollingUpdate")
          .withNewRollingUpdate()
          .withMaxSurge(new io.fabric8.kubernetes.api.model.IntOrString(1))
          .withMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(0))
          .endRollingUpdate().build());
    }
    Deployment d = new Deployment();
    d.setMetadata(ChildMetadata.of(stack, stack.name(c), c.part()));
    d.getMetadata().getLabels().put(Labels.VERSION, stack.version());
    d.setSpec(spec.build());
    return d;
  }

  static PodTemplateSpec podTemplate(ResolvedStack stack, Component c) {
    ComponentSpec cs = stack.component(c);
    Map<String, String> annotations = new LinkedHashMap<>();
    if (cs.podAnnotations != null) {
      annotations.putAll(cs.podAnnotations);
    }
    var pod = new PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(Labels.pod(stack, c.part(), cs.podLabels)).withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(cs.serviceAccountName)
        .withPriorityClassName(cs.priorityClassName)
        // Service-link variables (RENDERER_*, SCHEDULER_*, PI_*) collide with Pi's own.
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(false)
        .withSecurityContext(stack.pod(c).podSecurityContext())
        .withImagePullSecrets(stack.images().pullSecrets())
        .withNodeSelector(cs.nodeSelector)
        .withTolerations(cs.tolerations)
        .withAffinity(cs.affinity)
        .withTopologySpreadConstraints(TopologySpreadBuilder.forComponent(stack, c))
        .withInitContainers(stack.pod(c).initContainers())
        .withContainers(container(stack, c))
        .addAllToContainers(stack.pod(c).sidecars())
        .endSpec();
    if (!SharedVolumeMounts.forComponent(c).isEmpty()) {
      pod.editSpec().addNewVolume().withName(SharedVolumeMounts.VOLUME)
          .withNewPersistentVolumeClaim().withClaimName(stack.sharedClaimName()).endPersistentVolumeClaim()
          .endVolume().endSpec();
    }
    if (c.volume() != null) {
      pod.editSpec().addNewVolume().withName(c.volume().name())
          .withNewPersistentVolumeClaim().withClaimName(stack.volumeClaimName(c)).endPersistentVolumeClaim()
          .endVolume().endSpec();
    }
    if (TrustStoreBuilder.wanted(stack, c)) {
      pod.editSpec().addAllToVolumes(TrustStoreBuilder.volumes(stack))
          .addToInitContainers(0, TrustStoreBuilder.initContainer(stack)).endSpec();
    }
    stack.tls(c).ifPresent(t -> pod.editSpec().addNewVolume().withName(TLS_VOLUME).withNewSecret()
        .withSecretName(stack.tlsSecretName(c).orElseThrow())
        .addNewItem().withKey(ComponentDefinition.ServedTls.CERT_KEY).withPath(t.certFile()).endItem()
        .addNewItem().withKey(ComponentDefinition.ServedTls.PRIVATE_KEY_KEY).withPath(t.keyFile()).endItem()
        .endSecret().endVolume().endSpec());
    pod.editSpec().addAllToVolumes(stack.pod(c).extraVolumes()).endSpec();
    PodTemplateSpec built = pod.build();
    // Rotated Secrets reach the pods: the template changes when the data it references does.
    SecretDigests.annotation(stack, SecretDigests.references(built.getSpec()))
        .ifPresent(h -> built.getMetadata().getAnnotations().put(SecretDigests.ANNOTATION, h));
    return built;
  }

  private static Container container(ResolvedStack stack, Component c) {
    List<ContainerPort> ports = c.ports().stream().map(p -> port(p.name(), p.number())).toList();
    return new ContainerBuilder()
        .withName(c.part())
        .withImage(stack.images().of(c))
        .withImagePullPolicy(stack.images().pullPolicy())
        .withPorts(ports)
        .withEnv(EnvironmentBuilder.build(stack, c))
        .withResources(stack.sizing(c).resources())
        .withSecurityContext(stack.pod(c).securityContext())
        .withStartupProbe(ProbeBuilder.startup(stack, c))
        .withReadinessProbe(ProbeBuilder.readiness(stack, c))
        .withLivenessProbe(ProbeBuilder.liveness(stack, c))
        .withVolumeMounts(mounts(stack, c))
        .build();
  }

  private static List<VolumeMount> mounts(ResolvedStack stack, Component c) {
    List<VolumeMount> mounts = new ArrayList<>(SharedVolumeMounts.forComponent(c));
    if (c.volume() != null) {
      mounts.add(new VolumeMountBuilder().withName(c.volume().name()).withMountPath(c.volume().mountPath()).build());
    }
    if (TrustStoreBuilder.wanted(stack, c)) {
      mounts.add(TrustStoreBuilder.storeMount());
    }
    stack.tls(c).ifPresent(t -> mounts.add(new VolumeMountBuilder().withName(TLS_VOLUME).withMountPath(t.directory())
        .withReadOnly(true).build()));
    mounts.addAll(stack.pod(c).extraVolumeMounts());
    return mounts;
  }

  private static ContainerPort port(String name, int number) {
    return new ContainerPortBuilder().withName(name).withContainerPort(number).withProtocol("TCP").build();
  }
}
