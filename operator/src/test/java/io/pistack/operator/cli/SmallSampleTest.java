package io.pistack.operator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.pistack.operator.it.Stacks;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * samples/small.yaml, Getting started's first stack, fits one 4-CPU, 8 GiB node (kind, minikube) beside its
 * control plane (about 1 CPU and 1 GiB requested by kube-system): what the rendered pods request in
 * all, with one dashboard, and only ReadWriteOnce claims, which every default StorageClass offers.
 */
class SmallSampleTest {
  static final BigDecimal CPU_ROOM = new BigDecimal("3");
  static final BigDecimal MEMORY_ROOM = new BigDecimal(6L * 1024 * 1024 * 1024);

  @Test
  void theSmallSampleFitsAFourCpuEightGibNodeWithReadWriteOnceStorage() {
    RenderCommandTest.Result r = RenderCommandTest.render("-f",
        Stacks.repoRoot().resolve("samples/small.yaml").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err().strip()).as("the one expected warning")
        .startsWith("warning: pi: spec.storage.accessModes: ReadWriteOnce").doesNotContain("\n");
    List<HasMetadata> objects = RenderCommandTest.parse(r.out());

    BigDecimal cpu = BigDecimal.ZERO;
    BigDecimal memory = BigDecimal.ZERO;
    List<PodSpec> pods = new ArrayList<>();
    for (HasMetadata o : objects) {
      if (o instanceof Deployment d) {
        assertThat(d.getSpec().getReplicas()).as(d.getMetadata().getName()).isEqualTo(1);
        pods.add(d.getSpec().getTemplate().getSpec());
      } else if (o instanceof StatefulSet s) {
        pods.add(s.getSpec().getTemplate().getSpec());
      } else if (o instanceof PersistentVolumeClaim c) {
        assertThat(c.getSpec().getAccessModes()).as(c.getMetadata().getName()).containsExactly("ReadWriteOnce");
      }
    }
    for (PodSpec pod : pods) {
      cpu = cpu.add(requests(pod, "cpu"));
      memory = memory.add(requests(pod, "memory"));
    }
    assertThat(pods).hasSize(6);
    assertThat(cpu).as("CPU requested").isLessThanOrEqualTo(CPU_ROOM);
    assertThat(memory).as("memory requested").isLessThanOrEqualTo(MEMORY_ROOM);
    assertThat(objects).filteredOn(o -> o instanceof StatefulSet).singleElement()
        .satisfies(o -> assertThat(((StatefulSet) o).getSpec().getVolumeClaimTemplates())
            .allSatisfy(c -> assertThat(c.getSpec().getAccessModes()).containsExactly("ReadWriteOnce")));
  }

  /** What the scheduler counts for a pod: the larger of the containers' sum and any one init container. */
  static BigDecimal requests(PodSpec pod, String resource) {
    BigDecimal sum = pod.getContainers().stream().map(c -> request(c, resource)).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal init = pod.getInitContainers() == null ? BigDecimal.ZERO : pod.getInitContainers().stream()
        .map(c -> request(c, resource)).reduce(BigDecimal.ZERO, BigDecimal::max);
    return sum.max(init);
  }

  static BigDecimal request(Container c, String resource) {
    Quantity q = c.getResources() == null || c.getResources().getRequests() == null ? null
        : c.getResources().getRequests().get(resource);
    return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
  }
}
