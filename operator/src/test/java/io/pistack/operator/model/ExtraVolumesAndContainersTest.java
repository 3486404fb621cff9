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

  @Test
  void otherComponentsAreUntouched() {
    var pod = DeploymentBuilder.build(TestStacks.resolved(SPEC), Component.RENDERER).getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes()).isEmpty();
    assertThat(pod.getInitContainers()).isEmpty();
    assertThat(pod.getContainers()).extracting(Container::getName).containsExactly("renderer");
  }
}
