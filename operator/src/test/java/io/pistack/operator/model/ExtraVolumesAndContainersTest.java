package io.pistack.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import org.junit.jupiter.api.Test;

/** Fonts, custom JDBC drivers from an image, a log shipper: per component, after the operator's own. */
class ExtraVolumesAndContainersTest {
  static final String SPEC = "  version: \"1\"\n  dashboard:\n"
      + "    extraVolumes:\n    - name: drivers\n      emptyDir: {}\n    - name: fonts\n      configMap: {name: pi-fonts}\n"
      + "    extraVolumeMounts:\n    - {name: fonts, mountPath: /usr/share/fonts/custom, readOnly: true}\n"
      + "    initContainers:\n    - name: copy-drivers\n      image: registry.example.com/jdbc-drivers:3\n"
      + "      command: [cp, -r, /drivers/., /target/]\n      volumeMounts: [{name: drivers, mountPath: /target}]\n"
      + "    sidecars:\n    - name: log-shipper\n      image: fluent/fluent-bit:3.2\n"
      + "      resources: {requests: {cpu: 10m, memory: 32Mi}}\n";

  @Test
  void theyComeAfterTheOperatorsOwn() {
    var pod = DeploymentBuilder.build(TestStacks.resolved(SPEC), Component.DASHBOARD).getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactly("shared", "drivers", "fonts");
    assertThat(pod.getVolumes().get(2).getConfigMap().getName()).isEqualTo("pi-fonts");
    assertThat(pod.getInitContainers()).singleElement().satisfies(c -> {
      assertThat(c.getName()).isEqualTo("copy-drivers");
      assertThat(c.getCommand()).containsExactly("cp", "-r", "/drivers/.", "/target/");
      assertThat(c.getVolumeMounts()).extracting(VolumeMount::getMountPath).containsExactly("/target");
    });
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("dashboard", "log-shipper");
    assertThat(pod.getContainers().get(1).getResources().getRequests().get("memory").toString()).isEqualTo("32Mi");
    assertThat(pod.getContainers().get(0).getVolumeMounts()).extracting(VolumeMount::getMountPath)
        .endsWith("/usr/share/fonts/custom").hasSize(6);
  }

  /** The API server drops readOnly: false; kept in the desired object, every reconcile would re-apply it. */
  @Test
  void readOnlyFalseIsLeftOutAsTheApiServerDoes() {
    String spec = "  version: \"1\"\n  dashboard:\n"
        + "    extraVolumes:\n    - name: scratch\n      emptyDir: {}\n"
        + "    extraVolumeMounts:\n    - {name: scratch, mountPath: /scratch, readOnly: false}\n"
        + "    - {name: scratch, mountPath: /scratch-ro, readOnly: true}\n"
        + "    sidecars:\n    - name: shipper\n      image: fluent/fluent-bit:3.2\n"
        + "      volumeMounts: [{name: scratch, mountPath: /logs, readOnly: false}]\n"
        + "    initContainers:\n    - name: prepare\n      image: busybox:1.36\n"
        + "      volumeMounts: [{name: scratch, mountPath: /work, readOnly: false}]\n";
    var pod = DeploymentBuilder.build(TestStacks.resolved(spec), Component.DASHBOARD).getSpec().getTemplate().getSpec();
    var main = pod.getContainers().get(0).getVolumeMounts();
    assertThat(main).filteredOn(m -> m.getMountPath().equals("/scratch")).singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isNull());
    assertThat(main).filteredOn(m -> m.getMountPath().equals("/scratch-ro")).singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
    assertThat(pod.getContainers().get(1).getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isNull());
    assertThat(pod.getInitContainers().get(0).getVolumeMounts()).singleElement()
        .satisfies(m -> assertThat(m.getReadOnly()).isNull());
  }

  @Test
  void otherComponentsAreUntouched() {
    var pod = DeploymentBuilder.build(TestStacks.resolved(SPEC), Component.RENDERER).getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).isEmpty();
    assertThat(pod.getInitContainers()).isEmpty();
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("renderer");
  }
}
